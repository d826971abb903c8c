package dev.spillway.gateway.resilience.aimd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AimdLimitTest {

  private static final long MS = 1_000_000L;

  private static AimdLimit limit(int initial) {
    return new AimdLimit(AimdLimit.Config.DEFAULTS.withInitialLimit(initial));
  }

  @Test
  void defaults() {
    AimdLimit.Config defaults = AimdLimit.Config.DEFAULTS;
    assertEquals(64, defaults.initialLimit());
    assertEquals(4, defaults.minLimit());
    assertEquals(1024, defaults.maxLimit());
    assertEquals(0.9, defaults.backoffRatio());
    assertEquals(Duration.ofSeconds(30), defaults.timeout());
    assertEquals(64, new AimdLimit().limit());
  }

  @Test
  void growsByOneOnSuccessOnlyWhileAtLeastHalfUsed() {
    AimdLimit limit = limit(10);

    limit.onSample(5 * MS, 4, false);
    assertEquals(10, limit.limit(), "4 of 10 in flight: the limit is not being used");

    limit.onSample(5 * MS, 5, false);
    assertEquals(11, limit.limit());

    limit.onSample(5 * MS, 6, false);
    assertEquals(12, limit.limit());
  }

  @Test
  void backsOffMultiplicativelyOnDrop() {
    AimdLimit limit = limit(100);
    limit.onSample(5 * MS, 100, true);
    assertEquals(90, limit.limit());
    limit.onSample(5 * MS, 90, true);
    assertEquals(81, limit.limit());
  }

  @Test
  void aSuccessSlowerThanTheTimeoutCountsAsADrop() {
    AimdLimit limit =
        new AimdLimit(
            AimdLimit.Config.DEFAULTS.withInitialLimit(20).withTimeout(Duration.ofSeconds(2)));

    limit.onSample(Duration.ofSeconds(2).toNanos(), 20, false);
    assertEquals(21, limit.limit(), "exactly the timeout is still a success");

    limit.onSample(Duration.ofSeconds(2).toNanos() + 1, 21, false);
    assertEquals(18, limit.limit());
  }

  @Test
  void staysWithinItsBounds() {
    AimdLimit limit =
        new AimdLimit(
            AimdLimit.Config.DEFAULTS.withMinLimit(5).withInitialLimit(6).withMaxLimit(7));
    for (int i = 0; i < 10; i++) {
      limit.onSample(MS, 7, false);
    }
    assertEquals(7, limit.limit());
    for (int i = 0; i < 10; i++) {
      limit.onSample(MS, 7, true);
    }
    assertEquals(5, limit.limit());
  }

  @Test
  void aDropDecreasesByAtLeastOneAboveTheMinimum() {
    AimdLimit limit =
        new AimdLimit(
            AimdLimit.Config.DEFAULTS.withMinLimit(1).withInitialLimit(5).withBackoffRatio(0.99));
    limit.onSample(MS, 5, true);
    assertEquals(4, limit.limit());
  }

  @Test
  void rejectsInconsistentConfig() {
    AimdLimit.Config defaults = AimdLimit.Config.DEFAULTS;
    assertThrows(IllegalArgumentException.class, () -> defaults.withMinLimit(0));
    assertThrows(IllegalArgumentException.class, () -> defaults.withInitialLimit(2));
    assertThrows(IllegalArgumentException.class, () -> defaults.withMaxLimit(32));
    assertThrows(IllegalArgumentException.class, () -> defaults.withBackoffRatio(1.0));
    assertThrows(IllegalArgumentException.class, () -> defaults.withBackoffRatio(0));
    assertThrows(IllegalArgumentException.class, () -> defaults.withTimeout(Duration.ZERO));
  }
}
