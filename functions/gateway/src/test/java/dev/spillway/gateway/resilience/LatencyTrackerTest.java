package dev.spillway.gateway.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {

  private static void recordRange(LatencyTracker tracker, int from, int to) {
    for (int v = from; v <= to; v++) {
      tracker.record(v);
    }
  }

  @Test
  void emptyUntilMinSamples() {
    LatencyTracker tracker = new LatencyTracker();
    recordRange(tracker, 1, LatencyTracker.DEFAULT_MIN_SAMPLES - 1);
    assertTrue(tracker.quantileNanos(0.5).isEmpty());

    tracker.record(LatencyTracker.DEFAULT_MIN_SAMPLES);
    assertEquals(OptionalLong.of(10), tracker.quantileNanos(0.5));
    assertEquals(OptionalLong.of(19), tracker.quantileNanos(0.95));
  }

  @Test
  void nearestRankQuantiles() {
    LatencyTracker tracker = new LatencyTracker();
    // Shuffled on purpose: 1..100 in a scrambled order.
    for (int i = 0; i < 100; i++) {
      tracker.record((i * 37) % 100 + 1);
    }
    assertEquals(OptionalLong.of(1), tracker.quantileNanos(0));
    assertEquals(OptionalLong.of(50), tracker.quantileNanos(0.5));
    assertEquals(OptionalLong.of(95), tracker.quantileNanos(0.95));
    assertEquals(OptionalLong.of(99), tracker.quantileNanos(0.99));
    assertEquals(OptionalLong.of(100), tracker.quantileNanos(1));
  }

  @Test
  void quantilesAreRecomputedEverySixteenRecords() {
    LatencyTracker tracker = new LatencyTracker(256, 20);
    recordRange(tracker, 1, 20);
    assertEquals(OptionalLong.of(20), tracker.quantileNanos(1));

    recordRange(tracker, 21, 35);
    assertEquals(OptionalLong.of(20), tracker.quantileNanos(1), "cached until 16 more records");

    tracker.record(36);
    assertEquals(OptionalLong.of(36), tracker.quantileNanos(1));
  }

  @Test
  void keepsOnlyTheMostRecentSamples() {
    LatencyTracker tracker = new LatencyTracker(32, 20);
    for (int i = 0; i < 68; i++) {
      tracker.record(1_000);
    }
    for (int i = 0; i < 32; i++) {
      tracker.record(10);
    }
    // 100 records: a snapshot was taken at the 100th, and the ring holds only the last 32.
    assertEquals(OptionalLong.of(10), tracker.quantileNanos(1));
    assertEquals(100, tracker.count());
  }

  @Test
  void rejectsBadInput() {
    LatencyTracker tracker = new LatencyTracker();
    assertThrows(IllegalArgumentException.class, () -> tracker.record(-1));
    assertThrows(IllegalArgumentException.class, () -> tracker.quantileNanos(1.01));
    assertThrows(IllegalArgumentException.class, () -> tracker.quantileNanos(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new LatencyTracker(16, 20));
    assertThrows(IllegalArgumentException.class, () -> new LatencyTracker(0, 1));
  }
}
