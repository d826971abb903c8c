package dev.spillway.quota.allowance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemandEstimatorTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void wantsTwiceTheSmoothedDemandOverTheRefreshInterval() {
    DemandEstimator e = new DemandEstimator(10, 1.0, Duration.ofSeconds(30));
    e.observe(0, 0);
    e.observe(1_000, SECOND);
    assertEquals(1_000, e.perSecond(), 1e-9);
    assertEquals(10_000, e.want(Duration.ofSeconds(5), SECOND));
  }

  @Test
  void smoothsAndNeverGoesBelowTheFloorWhileActive() {
    DemandEstimator e = new DemandEstimator(50, 0.5, Duration.ofSeconds(30));
    e.observe(0, 0);
    e.observe(100, SECOND);
    assertEquals(50, e.perSecond(), 1e-9);
    e.observe(100 + 300, 2 * SECOND);
    assertEquals(175, e.perSecond(), 1e-9);
    e.observe(401, 3 * SECOND);
    assertEquals(50, e.want(Duration.ofMillis(10), 3 * SECOND), "the floor");
  }

  @Test
  void idleBudgetWantsNothing() {
    DemandEstimator e = new DemandEstimator(50, 0.5, Duration.ofSeconds(10));
    e.observe(0, 0);
    e.observe(100, SECOND);
    e.observe(100, 5 * SECOND);
    assertTrue(e.want(Duration.ofSeconds(1), 5 * SECOND) > 0);
    e.observe(100, 12 * SECOND);
    assertEquals(0, e.want(Duration.ofSeconds(1), 12 * SECOND));
  }

  @Test
  void refundsDoNotCountAsNegativeDemand() {
    DemandEstimator e = new DemandEstimator(0, 1.0, Duration.ofSeconds(10));
    e.observe(1_000, 0);
    e.observe(500, SECOND);
    assertEquals(0, e.perSecond(), 1e-9);
  }
}
