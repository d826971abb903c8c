package dev.spillway.gateway.resilience;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A Finagle-style retry budget: a cap on extra attempts (retries and hedges) relative to first
 * attempts, so that retrying can never multiply the load on an upstream that is already failing.
 *
 * <p>Why a budget and not a retry count: with three retries per request, an upstream outage turns
 * every request into four, exactly when the upstream can least take it. A budget lets isolated
 * failures be retried freely while an outage degrades to at most {@code ratio} extra load.
 *
 * <p>Every first attempt deposits ({@link #recordRequest()}); every extra attempt must withdraw
 * ({@link #tryAcquire()}). Over a sliding window, extra attempts granted never exceed {@code ratio
 * × first attempts + minPerSecond × window seconds}; the second term is a floor so that a quiet
 * service can still retry its rare failures. The window is kept in 1-second buckets, so it slides
 * in whole seconds: it covers the current second and the {@code window − 1} seconds before it.
 *
 * <p>Defaults (Finagle's): ratio {@value #DEFAULT_RATIO}, minPerSecond {@value
 * #DEFAULT_MIN_PER_SECOND}, window 10 s.
 *
 * <p>Thread-safe. Every method takes the instance lock; the critical sections are a few array
 * operations, so the lock is cheap and, per upstream, rarely contended.
 */
public final class RetryBudget {

  /** Extra attempts allowed per first attempt. */
  public static final double DEFAULT_RATIO = 0.2;

  /** Extra attempts allowed per second of the window whatever the traffic. */
  public static final int DEFAULT_MIN_PER_SECOND = 5;

  /** How far back deposits and withdrawals count. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Absorbs rounding in {@code ratio × requests} (0.2 × 15 must allow 3). */
  private static final double EPSILON = 1e-9;

  private final double ratio;
  private final double reserve;
  private final LongSupplier nanoClock;
  private final long originNanos;

  // Ring of 1-second buckets; second[i] says which second bucket i currently holds.
  private final long[] second;
  private final long[] requestsIn;
  private final long[] extrasIn;

  private long requests;
  private long extrasGranted;
  private long extrasRefused;

  /** A budget with the defaults, on {@code nanoClock}. */
  public RetryBudget(LongSupplier nanoClock) {
    this(DEFAULT_RATIO, DEFAULT_MIN_PER_SECOND, DEFAULT_WINDOW, nanoClock);
  }

  /**
   * @param ratio extra attempts allowed per first attempt, finite and ≥ 0
   * @param minPerSecond extra attempts allowed per second of the window regardless of traffic, ≥ 0
   * @param window how far back to count: a whole number of seconds, at least 1
   * @param nanoClock a monotonic clock in nanoseconds, such as {@code System::nanoTime}
   * @throws IllegalArgumentException if a parameter is out of range
   */
  public RetryBudget(double ratio, int minPerSecond, Duration window, LongSupplier nanoClock) {
    if (!(ratio >= 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("ratio must be finite and >= 0: " + ratio);
    }
    if (minPerSecond < 0) {
      throw new IllegalArgumentException("minPerSecond must be >= 0: " + minPerSecond);
    }
    Objects.requireNonNull(window, "window");
    if (window.getSeconds() < 1 || window.getNano() != 0 || window.getSeconds() > 3600) {
      throw new IllegalArgumentException(
          "window must be a whole number of seconds between 1 s and 1 h: " + window);
    }
    this.ratio = ratio;
    int seconds = (int) window.getSeconds();
    this.reserve = (double) minPerSecond * seconds;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.originNanos = nanoClock.getAsLong();
    this.second = new long[seconds];
    this.requestsIn = new long[seconds];
    this.extrasIn = new long[seconds];
    // No bucket holds a real second yet: mark them all as long expired.
    Arrays.fill(second, Long.MIN_VALUE);
  }

  /** Deposits one first attempt. */
  public synchronized void recordRequest() {
    int i = bucket(currentSecond());
    requestsIn[i]++;
    requests++;
  }

  /**
   * Withdraws one extra attempt if the budget allows it.
   *
   * @return {@code true} if the retry or hedge may be sent (and it has been counted), {@code false}
   *     if it must not be
   */
  public synchronized boolean tryAcquire() {
    long now = currentSecond();
    long windowRequests = 0;
    long windowExtras = 0;
    for (int i = 0; i < second.length; i++) {
      if (second[i] > now - second.length && second[i] <= now) {
        windowRequests += requestsIn[i];
        windowExtras += extrasIn[i];
      }
    }
    if (windowExtras + 1 <= ratio * windowRequests + reserve + EPSILON) {
      extrasIn[bucket(now)]++;
      extrasGranted++;
      return true;
    }
    extrasRefused++;
    return false;
  }

  /** First attempts recorded since creation (monotonic, for a metric counter). */
  public synchronized long requests() {
    return requests;
  }

  /** Extra attempts granted since creation (monotonic). */
  public synchronized long extrasGranted() {
    return extrasGranted;
  }

  /** Extra attempts refused since creation (monotonic). */
  public synchronized long extrasRefused() {
    return extrasRefused;
  }

  private long currentSecond() {
    return Math.floorDiv(nanoClock.getAsLong() - originNanos, NANOS_PER_SECOND);
  }

  /** The bucket for {@code now}, emptied first if it still holds an older second. */
  private int bucket(long now) {
    int i = (int) Math.floorMod(now, (long) second.length);
    if (second[i] != now) {
      second[i] = now;
      requestsIn[i] = 0;
      extrasIn[i] = 0;
    }
    return i;
  }
}
