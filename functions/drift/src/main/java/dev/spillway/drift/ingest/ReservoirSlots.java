package dev.spillway.drift.ingest;

import java.util.random.RandomGenerator;

/**
 * Reservoir sampling (Vitter's Algorithm R) for a window that holds at most {@code capacity}
 * samples however many are offered: the first {@code capacity} samples fill the slots; the {@code
 * n}-th after that replaces a uniformly chosen slot with probability {@code capacity / n}. Every
 * offered sample then ends up in the window with the same probability, so the window is a uniform
 * sample of its whole traffic, busy hours and quiet ones alike.
 *
 * <p>The caller serialises batches per window (the store locks the window's row and reads its count
 * of offered samples) and passes that count; within a batch a later sample may take a slot an
 * earlier one of the same batch took, as Algorithm R would. Stateless; thread-safe when each caller
 * uses its own random generator.
 */
public final class ReservoirSlots {

  /** A sample that is not kept. */
  public static final int DROPPED = -1;

  private ReservoirSlots() {}

  /**
   * The slot of each of {@code count} samples offered after {@code seenBefore} earlier ones.
   *
   * @return for each sample its slot in {@code [0, capacity)}, or {@link #DROPPED}
   */
  public static int[] assign(long seenBefore, int count, int capacity, RandomGenerator random) {
    if (seenBefore < 0 || count < 0 || capacity < 1) {
      throw new IllegalArgumentException(
          "seenBefore and count must not be negative and capacity must be positive");
    }
    int[] slots = new int[count];
    for (int i = 0; i < count; i++) {
      long n = seenBefore + i + 1;
      if (n <= capacity) {
        slots[i] = (int) (n - 1);
      } else {
        long j = random.nextLong(n);
        slots[i] = j < capacity ? (int) j : DROPPED;
      }
    }
    return slots;
  }
}
