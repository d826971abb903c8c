package dev.spillway.simulator.ratelimit;

/**
 * The answer of a rate limiter: a value rather than an exception, so it maps straight onto a 429
 * with {@code Retry-After}.
 *
 * @param allowed whether the request may proceed
 * @param retryAfterSeconds when refused, whole seconds until enough budget has refilled (at least
 *     1); 0 when allowed
 */
public record RateDecision(boolean allowed, long retryAfterSeconds) {

  /** The decision that lets a request through. */
  public static final RateDecision ALLOWED = new RateDecision(true, 0);

  /** A refusal that asks the client to come back after {@code seconds}. */
  public static RateDecision refused(long seconds) {
    return new RateDecision(false, Math.max(1, seconds));
  }
}
