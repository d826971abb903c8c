package dev.spillway.drift.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReservoirSlotsTest {

  @Test
  void theFirstSamplesFillTheSlotsInOrder() {
    int[] slots = ReservoirSlots.assign(0, 5, 10, new SplittableRandom(1));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, slots);
    int[] next = ReservoirSlots.assign(5, 5, 10, new SplittableRandom(1));
    assertArrayEquals(new int[] {5, 6, 7, 8, 9}, next);
  }

  /**
   * Algorithm R keeps every offered sample with probability capacity / n, whatever its position and
   * however the stream was cut into batches: here 100 samples in batches of 7 into 10 slots, each
   * sample's final survival counted over 20,000 runs (expected 0.1, standard error 0.002).
   */
  @Test
  void everySampleSurvivesWithTheSameProbabilityAcrossBatches() {
    int capacity = 10;
    int stream = 100;
    int runs = 20_000;
    int[] survived = new int[stream];
    SplittableRandom random = new SplittableRandom(42);
    for (int run = 0; run < runs; run++) {
      int[] holder = new int[capacity];
      long seen = 0;
      while (seen < stream) {
        int batch = (int) Math.min(7, stream - seen);
        int[] slots = ReservoirSlots.assign(seen, batch, capacity, random);
        for (int i = 0; i < batch; i++) {
          if (slots[i] != ReservoirSlots.DROPPED) {
            holder[slots[i]] = (int) seen + i;
          }
        }
        seen += batch;
      }
      for (int sample : holder) {
        survived[sample]++;
      }
    }
    for (int sample = 0; sample < stream; sample++) {
      double share = (double) survived[sample] / runs;
      assertEquals(0.1, share, 0.01, "sample " + sample + " survived in " + share + " of runs");
    }
  }

  @Test
  void aFullReservoirDropsMostLateSamples() {
    int[] slots = ReservoirSlots.assign(1_000_000, 1_000, 10, new SplittableRandom(3));
    long kept = java.util.Arrays.stream(slots).filter(s -> s != ReservoirSlots.DROPPED).count();
    assertTrue(kept < 5, "kept " + kept + " of 1,000 late samples (expected about 0.01)");
    for (int slot : slots) {
      assertTrue(slot == ReservoirSlots.DROPPED || (slot >= 0 && slot < 10));
    }
  }

  @Test
  void badArgumentsAreRefused() {
    SplittableRandom random = new SplittableRandom(1);
    assertThrows(IllegalArgumentException.class, () -> ReservoirSlots.assign(-1, 1, 10, random));
    assertThrows(IllegalArgumentException.class, () -> ReservoirSlots.assign(0, -1, 10, random));
    assertThrows(IllegalArgumentException.class, () -> ReservoirSlots.assign(0, 1, 0, random));
  }
}
