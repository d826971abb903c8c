package dev.spillway.gateway.resilience.aimd;

import dev.spillway.gateway.resilience.ConcurrencyLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * Additive-increase/multiplicative-decrease concurrency limit, as TCP congestion control and
 * Netflix concurrency-limits' {@code AIMDLimit}: +1 for each success, × {@code backoffRatio} for
 * each drop.
 *
 * <p>Why AIMD for LLM upstreams: their latency varies by orders of magnitude with prompt and output
 * length, so latency-gradient algorithms (Vegas, Gradient2) mistake a long completion for queueing.
 * Drops (429, 5xx, timeouts) are the signal such an upstream does give reliably, and AIMD reacts to
 * exactly that: it backs off fast and probes back slowly.
 *
 * <p>The limit grows only while it is used: a success raises it only if at least half the limit was
 * in flight when the request was admitted. Otherwise a long quiet period would inflate the limit to
 * {@code maxLimit}, and the next burst would hit the upstream with no protection at all. A request
 * slower than {@link Config#timeout()} counts as a drop even if it succeeded, because an upstream
 * that slow is already overloaded.
 *
 * <p>Thread-safe: samples are applied under the instance lock; {@link #limit()} is a volatile read.
 */
public final class AimdLimit implements ConcurrencyLimit {

  /**
   * Immutable settings; start from {@link #DEFAULTS} and change what differs with the {@code with…}
   * methods.
   *
   * @param initialLimit the limit before any sample (default 64)
   * @param minLimit the limit never drops below this (default 4), so a burst of failures cannot
   *     shut an upstream off entirely and there is always traffic to learn recovery from
   * @param maxLimit the limit never grows above this (default 1024)
   * @param backoffRatio the factor applied on a drop, in (0, 1) (default 0.9)
   * @param timeout a request slower than this counts as a drop (default 30 s)
   */
  public record Config(
      int initialLimit, int minLimit, int maxLimit, double backoffRatio, Duration timeout) {

    /** initial 64, min 4, max 1024, backoff 0.9, timeout 30 s. */
    public static final Config DEFAULTS = new Config(64, 4, 1024, 0.9, Duration.ofSeconds(30));

    /**
     * @throws IllegalArgumentException unless {@code 1 ≤ minLimit ≤ initialLimit ≤ maxLimit},
     *     {@code 0 < backoffRatio < 1} and the timeout is positive
     */
    public Config {
      Objects.requireNonNull(timeout, "timeout");
      if (minLimit < 1 || minLimit > initialLimit || initialLimit > maxLimit) {
        throw new IllegalArgumentException(
            "need 1 <= minLimit <= initialLimit <= maxLimit, got min="
                + minLimit
                + " initial="
                + initialLimit
                + " max="
                + maxLimit);
      }
      if (!(backoffRatio > 0 && backoffRatio < 1)) {
        throw new IllegalArgumentException("backoffRatio must be in (0, 1): " + backoffRatio);
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
    }

    public Config withInitialLimit(int value) {
      return new Config(value, minLimit, maxLimit, backoffRatio, timeout);
    }

    public Config withMinLimit(int value) {
      return new Config(initialLimit, value, maxLimit, backoffRatio, timeout);
    }

    public Config withMaxLimit(int value) {
      return new Config(initialLimit, minLimit, value, backoffRatio, timeout);
    }

    public Config withBackoffRatio(double value) {
      return new Config(initialLimit, minLimit, maxLimit, value, timeout);
    }

    public Config withTimeout(Duration value) {
      return new Config(initialLimit, minLimit, maxLimit, backoffRatio, value);
    }
  }

  private final Config config;
  private final long timeoutNanos;
  private volatile int limit;

  /** An AIMD limit with {@link Config#DEFAULTS}. */
  public AimdLimit() {
    this(Config.DEFAULTS);
  }

  public AimdLimit(Config config) {
    this.config = Objects.requireNonNull(config, "config");
    this.timeoutNanos = config.timeout().toNanos();
    this.limit = config.initialLimit();
  }

  public Config config() {
    return config;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public synchronized void onSample(long rttNanos, int inFlight, boolean dropped) {
    int current = limit;
    if (dropped || rttNanos > timeoutNanos) {
      // Flooring guarantees a decrease of at least 1 whenever the minimum allows one.
      limit = Math.max(config.minLimit(), (int) (current * config.backoffRatio()));
    } else if ((long) inFlight * 2 >= current) {
      limit = Math.min(config.maxLimit(), current + 1);
    }
  }

  @Override
  public String toString() {
    return "AimdLimit[limit=" + limit + ", " + config + "]";
  }
}
