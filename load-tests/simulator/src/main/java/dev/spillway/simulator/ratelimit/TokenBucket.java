package dev.spillway.simulator.ratelimit;

import java.util.function.LongSupplier;

/**
 * A tokens-per-minute budget: a bucket holding at most one minute's tokens that refills
 * continuously, as upstream providers meter TPM.
 *
 * <p>A request costing more than a whole minute's budget is charged the whole bucket instead of
 * being refused for ever, so it waits for a full bucket. Thread-safe: the event loops share one
 * bucket and every method is synchronized, which costs nothing measurable at this granularity.
 */
public final class TokenBucket {

  private static final double NANOS_PER_MINUTE = 60e9;

  private final long capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoClock;
  private double available;
  private long lastRefill;

  /**
   * @param tokensPerMinute budget per minute; must be positive
   * @param nanoClock monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
   */
  public TokenBucket(long tokensPerMinute, LongSupplier nanoClock) {
    if (tokensPerMinute <= 0) {
      throw new IllegalArgumentException("tokensPerMinute must be > 0, was " + tokensPerMinute);
    }
    this.capacity = tokensPerMinute;
    this.tokensPerNano = tokensPerMinute / NANOS_PER_MINUTE;
    this.nanoClock = nanoClock;
    this.available = tokensPerMinute;
    this.lastRefill = nanoClock.getAsLong();
  }

  /**
   * Takes {@code tokens} if the bucket holds them; otherwise takes nothing and says how long until
   * it will.
   */
  public synchronized RateDecision tryTake(long tokens) {
    refill();
    double cost = Math.min(tokens, capacity);
    if (available >= cost) {
      available -= cost;
      return RateDecision.ALLOWED;
    }
    double waitNanos = (cost - available) / tokensPerNano;
    return RateDecision.refused((long) Math.ceil(waitNanos / 1e9));
  }

  /** Fills the bucket to capacity, as after a quiet minute. */
  public synchronized void refillCompletely() {
    available = capacity;
    lastRefill = nanoClock.getAsLong();
  }

  /** Tokens available now, for tests and stats. */
  public synchronized long available() {
    refill();
    return (long) Math.floor(available);
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    available = Math.min(capacity, available + (now - lastRefill) * tokensPerNano);
    lastRefill = now;
  }
}
