package dev.spillway.gateway.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final ManualScheduler clock = new ManualScheduler();

  private RetryBudget budget(double ratio, int minPerSecond, int windowSeconds) {
    return new RetryBudget(ratio, minPerSecond, Duration.ofSeconds(windowSeconds), clock::nanoTime);
  }

  private static int drain(RetryBudget budget) {
    int granted = 0;
    while (budget.tryAcquire()) {
      granted++;
    }
    return granted;
  }

  private static void requests(RetryBudget budget, int n) {
    for (int i = 0; i < n; i++) {
      budget.recordRequest();
    }
  }

  @Test
  void extrasAreARatioOfFirstAttempts() {
    RetryBudget budget = budget(0.2, 0, 10);
    requests(budget, 10);
    assertEquals(2, drain(budget));

    requests(budget, 5);
    // 0.2 × 15 = 3: one more, despite floating-point rounding.
    assertEquals(1, drain(budget));
  }

  @Test
  void theFloorAllowsExtrasWithoutTraffic() {
    RetryBudget budget = new RetryBudget(clock::nanoTime);
    // Defaults: 5 per second over a 10 s window.
    assertEquals(50, drain(budget));

    requests(budget, 10);
    assertEquals(2, drain(budget));
  }

  @Test
  void depositsExpireWithTheWindow() {
    RetryBudget budget = budget(0.5, 0, 10);
    requests(budget, 10);

    clock.advance(Duration.ofMillis(9_999));
    assertTrue(budget.tryAcquire());

    clock.advance(Duration.ofMillis(1));
    assertFalse(budget.tryAcquire(), "the deposits of 10 s ago no longer count");
  }

  @Test
  void withdrawalsExpireWithTheWindow() {
    RetryBudget budget = budget(0, 1, 10);
    assertEquals(10, drain(budget));

    clock.advance(Duration.ofSeconds(9));
    assertFalse(budget.tryAcquire());

    clock.advance(Duration.ofSeconds(1));
    assertEquals(10, drain(budget), "the floor is available again once the window has slid by");
  }

  @Test
  void theWindowSlidesSecondBySecond() {
    RetryBudget budget = budget(1.0, 0, 3);
    requests(budget, 2);
    clock.advance(Duration.ofSeconds(1));
    requests(budget, 3);

    clock.advance(Duration.ofSeconds(2));
    // Now at second 3: the two requests of second 0 left the window, the three of second 1 did not.
    assertEquals(3, drain(budget));
  }

  @Test
  void countersAreMonotonic() {
    RetryBudget budget = budget(0.5, 0, 10);
    requests(budget, 4);
    drain(budget);
    budget.tryAcquire();

    assertEquals(4, budget.requests());
    assertEquals(2, budget.extrasGranted());
    assertEquals(2, budget.extrasRefused());

    clock.advance(Duration.ofSeconds(60));
    assertEquals(4, budget.requests(), "counters do not expire with the window");
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryBudget(-0.1, 5, Duration.ofSeconds(10), clock::nanoTime));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryBudget(0.2, -1, Duration.ofSeconds(10), clock::nanoTime));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryBudget(0.2, 5, Duration.ofMillis(1_500), clock::nanoTime));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryBudget(0.2, 5, Duration.ZERO, clock::nanoTime));
  }
}
