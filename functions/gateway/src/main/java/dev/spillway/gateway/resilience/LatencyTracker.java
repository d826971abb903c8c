package dev.spillway.gateway.resilience;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The recently observed latency of one target (for example its time to first token), from which an
 * adaptive hedge delay is read: hedge once the primary is slower than, say, its p95.
 *
 * <p>It keeps the most recent {@code capacity} samples in a ring buffer, so it follows a target
 * that speeds up or slows down instead of averaging over its whole life. Quantiles come from a
 * sorted snapshot of the ring that is rebuilt at most once every {@value #RECOMPUTE_EVERY} records
 * (and once when {@code minSamples} is first reached): a read is then O(1), and the sort's cost is
 * spread over many records. A quantile may therefore lag the latest samples by up to that many
 * records, which matters little for a hedge delay.
 *
 * <p>Until {@code minSamples} samples were recorded, {@link #quantileNanos} is empty: a hedge delay
 * from three samples would be noise, and the caller should fall back to a configured delay.
 *
 * <p>Defaults: capacity {@value #DEFAULT_CAPACITY}, minSamples {@value #DEFAULT_MIN_SAMPLES}.
 *
 * <p>Thread-safe. {@link #record} writes the ring under a short lock, and the snapshot is sorted
 * outside it; {@link #quantileNanos} reads a published immutable snapshot without locking.
 */
public final class LatencyTracker {

  public static final int DEFAULT_CAPACITY = 256;
  public static final int DEFAULT_MIN_SAMPLES = 20;

  /** Records between two rebuilds of the sorted snapshot. */
  static final int RECOMPUTE_EVERY = 16;

  /** A sorted copy of the ring, tagged with how many records it reflects. */
  private record Snapshot(long[] sorted, long recordCount) {}

  private final int minSamples;
  private final long[] ring;
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

  // Guarded by this.
  private long count;
  private long countAtLastSnapshot;

  /** A tracker with the defaults. */
  public LatencyTracker() {
    this(DEFAULT_CAPACITY, DEFAULT_MIN_SAMPLES);
  }

  /**
   * @param capacity how many of the most recent samples to keep, ≥ 1
   * @param minSamples how many samples are needed before a quantile is given, in [1, capacity]
   */
  public LatencyTracker(int capacity, int minSamples) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
    }
    if (minSamples < 1 || minSamples > capacity) {
      throw new IllegalArgumentException(
          "minSamples must be in [1, capacity=" + capacity + "]: " + minSamples);
    }
    this.ring = new long[capacity];
    this.minSamples = minSamples;
  }

  /**
   * Records one observed latency.
   *
   * @param nanos the latency, ≥ 0
   * @throws IllegalArgumentException if {@code nanos} is negative
   */
  public void record(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("latency must be >= 0: " + nanos);
    }
    long[] copy = null;
    long copiedAt = 0;
    synchronized (this) {
      ring[(int) (count % ring.length)] = nanos;
      count++;
      if (count >= minSamples
          && (countAtLastSnapshot < minSamples || count - countAtLastSnapshot >= RECOMPUTE_EVERY)) {
        countAtLastSnapshot = count;
        copy = Arrays.copyOf(ring, (int) Math.min(count, ring.length));
        copiedAt = count;
      }
    }
    if (copy != null) {
      Arrays.sort(copy);
      publish(new Snapshot(copy, copiedAt));
    }
  }

  /** Publishes {@code next} unless a snapshot of later records got there first. */
  private void publish(Snapshot next) {
    snapshot.accumulateAndGet(
        next,
        (current, candidate) ->
            current == null || candidate.recordCount() > current.recordCount()
                ? candidate
                : current);
  }

  /**
   * The {@code q}-quantile of the recent samples (nearest rank: the smallest sample with at least
   * {@code q} of the samples at or below it).
   *
   * @param q in [0, 1]; 0 gives the minimum, 1 the maximum
   * @return the quantile in nanoseconds, or empty while fewer than {@code minSamples} samples were
   *     recorded
   * @throws IllegalArgumentException if {@code q} is outside [0, 1]
   */
  public OptionalLong quantileNanos(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1]: " + q);
    }
    Snapshot current = snapshot.get();
    if (current == null) {
      return OptionalLong.empty();
    }
    long[] sorted = current.sorted();
    // The epsilon keeps float noise (0.95 × 20 = 19.000000000000004) from skipping a rank.
    int rank = (int) Math.ceil(q * sorted.length - 1e-9);
    return OptionalLong.of(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
  }

  /** Samples recorded since creation (monotonic). */
  public synchronized long count() {
    return count;
  }
}
