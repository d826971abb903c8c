package dev.spillway.quota.allowance;

import java.time.Duration;

/**
 * Estimates an allowance's demand, for the {@code want} of its next lease claim: use plus refused
 * asks per second, smoothed (exponentially weighted), over twice the renewal interval, never below
 * a floor while there is any demand, and zero once the budget has been idle for a while (so that an
 * idle instance gives its allowance back).
 *
 * <p>Twice the interval, as in Doorman: the instance must not run dry before its next renewal even
 * if demand doubles meanwhile; a larger factor would hoard allowance that busier instances need.
 *
 * <p>Not thread-safe: it is fed by the one renewal round in progress ({@link Allowance#report}).
 */
public final class DemandEstimator {

  private final long floor;
  private final double smoothing;
  private final long idleAfterNanos;

  private boolean started;
  private long lastNanos;
  private long lastTotal;
  private long lastActiveNanos;
  private double perSecond;

  /**
   * @param floor the smallest {@code want} of a budget in use: enough for a burst right after a
   *     quiet period (one request's worth, say)
   * @param smoothing weight of the newest sample, in (0, 1]; 0.5 follows a change within two or
   *     three renewals
   * @param idleAfter how long without any demand before {@code want} drops to zero
   */
  public DemandEstimator(long floor, double smoothing, Duration idleAfter) {
    if (floor < 0) {
      throw new IllegalArgumentException("floor must not be negative");
    }
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("smoothing must be in (0, 1]");
    }
    this.floor = floor;
    this.smoothing = smoothing;
    this.idleAfterNanos = idleAfter.toNanos();
  }

  /**
   * Takes a sample.
   *
   * @param demandTotal cumulative demand so far (net use plus refused asks); a decrease (refunds)
   *     counts as no demand
   * @param nowNanos a monotonic clock ({@link System#nanoTime()} or a test's)
   */
  public void observe(long demandTotal, long nowNanos) {
    if (!started) {
      started = true;
      lastNanos = nowNanos;
      lastTotal = demandTotal;
      lastActiveNanos = nowNanos;
      return;
    }
    long elapsed = nowNanos - lastNanos;
    if (elapsed <= 0) {
      return;
    }
    long delta = Math.max(0, demandTotal - lastTotal);
    double rate = delta * 1e9 / elapsed;
    perSecond = smoothing * rate + (1 - smoothing) * perSecond;
    if (delta > 0) {
      lastActiveNanos = nowNanos;
    }
    lastNanos = nowNanos;
    lastTotal = demandTotal;
  }

  /** The smoothed demand, in units per second. */
  public double perSecond() {
    return perSecond;
  }

  /** True when nothing was asked for since {@code idleAfter} before {@code nowNanos}. */
  public boolean idle(long nowNanos) {
    return started && nowNanos - lastActiveNanos >= idleAfterNanos;
  }

  /**
   * What to ask for: 0 when idle, else {@code max(floor, perSecond × 2 × refreshInterval)}.
   *
   * @param refreshInterval how often the instance renews at the latest
   */
  public long want(Duration refreshInterval, long nowNanos) {
    if (idle(nowNanos)) {
      return 0;
    }
    return Math.max(floor, (long) Math.ceil(perSecond * 2 * refreshInterval.toNanos() / 1e9));
  }

  /** The demand expected over {@code interval} at the smoothed rate. */
  public long expectedOver(Duration interval) {
    return (long) Math.ceil(perSecond * interval.toNanos() / 1e9);
  }
}
