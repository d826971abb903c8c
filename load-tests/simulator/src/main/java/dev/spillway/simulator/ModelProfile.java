package dev.spillway.simulator;

import java.util.random.RandomGenerator;

/**
 * How one simulated model behaves in time and length.
 *
 * <p>Latencies are lognormal around their median: a sample is {@code median * exp(sigma * z)} with
 * {@code z} standard normal, which gives the long right tail that real time-to-first-token
 * distributions have. A sigma of 0 makes the latency exactly the median.
 *
 * @param ttftMillis median time to first token, in milliseconds (default 50)
 * @param ttftJitter lognormal sigma of the time to first token (default 0)
 * @param itlMillis median inter-token latency, in milliseconds (default 10)
 * @param itlJitter lognormal sigma of the inter-token latency (default 0)
 * @param outputTokens how many tokens a text answer has before any {@code max_tokens} cut (default
 *     16)
 */
public record ModelProfile(
    long ttftMillis, double ttftJitter, long itlMillis, double itlJitter, int outputTokens) {

  /** The profile used when nothing else is configured. */
  public static final ModelProfile DEFAULT = new ModelProfile(50, 0, 10, 0, 16);

  public ModelProfile {
    requireNonNegative(ttftMillis, "ttftMillis");
    requireNonNegative(itlMillis, "itlMillis");
    requireNonNegative(outputTokens, "outputTokens");
    if (!(ttftJitter >= 0) || !(itlJitter >= 0)) {
      throw new IllegalArgumentException("jitter (lognormal sigma) must be >= 0");
    }
  }

  /** A copy with another time to first token, exact (no jitter). */
  public ModelProfile withTtftMillis(long millis) {
    return new ModelProfile(millis, 0, itlMillis, itlJitter, outputTokens);
  }

  /** A copy with another inter-token latency, exact (no jitter). */
  public ModelProfile withItlMillis(long millis) {
    return new ModelProfile(ttftMillis, ttftJitter, millis, 0, outputTokens);
  }

  /** A copy with another answer length. */
  public ModelProfile withOutputTokens(int tokens) {
    return new ModelProfile(ttftMillis, ttftJitter, itlMillis, itlJitter, tokens);
  }

  /** Draws one time to first token. */
  public long sampleTtftMillis(RandomGenerator random) {
    return sample(ttftMillis, ttftJitter, random);
  }

  /** Draws one inter-token gap. */
  public long sampleItlMillis(RandomGenerator random) {
    return sample(itlMillis, itlJitter, random);
  }

  private static long sample(long median, double sigma, RandomGenerator random) {
    if (sigma == 0 || median == 0) {
      return median;
    }
    return Math.round(median * Math.exp(sigma * random.nextGaussian()));
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }
}
