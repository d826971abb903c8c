package dev.spillway.routing.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RouteLLM's metrics on cases small enough to work out by hand. */
class RouteLlmMetricsTest {

  private static final double EPS = 1e-9;

  @Test
  void aRouterThatFindsBothHardPromptsFirstRecoversNineTenthsOfTheGap() {
    // Ten prompts scored 1..10; the weak model fails the two highest, the strong one fails none.
    double[] score = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] weak = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    double[] strong = new double[10];
    Arrays.fill(strong, 1);

    RouteLlmMetrics.Result result = RouteLlmMetrics.evaluate(score, weak, strong);

    // Deciles 1, 1.9, …, 9.1, 10: 100 %, 90 %, …, 10 % to strong, then none (> 10).
    assertArrayEquals(
        new double[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100},
        result.curve().strongPercent(),
        EPS);
    assertArrayEquals(
        new double[] {80, 90, 100, 100, 100, 100, 100, 100, 100, 100, 100},
        result.curve().qualityPercent(),
        EPS);
    // Area 8.5 + 9.5 + 8 × 10 = 98 between the weak model's 80 and the strong one's 100.
    assertEquals(0.9, result.apgr(), EPS);
    assertEquals(10, result.cpt50(), EPS, "90 % quality is reached at 10 % strong calls");
    assertEquals(16, result.cpt80(), EPS, "96 % lies 6/10 of the way from 10 % to 20 %");
  }

  @Test
  void aScoreThatTellsNothingApartRecoversHalfTheGap() {
    double[] score = new double[8];
    double[] weak = {1, 0, 1, 0, 1, 1, 0, 1};
    double[] strong = {1, 1, 1, 0, 1, 1, 1, 1};
    assertEquals(0.5, RouteLlmMetrics.evaluate(score, weak, strong).apgr(), EPS);
  }

  @Test
  void interpolationAndQuantilesFollowNumPy() {
    double[] xp = {1, 2, 3};
    double[] fp = {10, 20, 30};
    assertEquals(25, RouteLlmMetrics.interp(2.5, xp, fp), EPS);
    assertEquals(10, RouteLlmMetrics.interp(0, xp, fp), EPS, "clamped below");
    assertEquals(30, RouteLlmMetrics.interp(9, xp, fp), EPS, "clamped above");
    assertEquals(2.5, RouteLlmMetrics.quantile(new double[] {1, 2, 3, 4}, 0.5), EPS);
    assertEquals(3.7, RouteLlmMetrics.quantile(new double[] {1, 2, 3, 4, 5}, 0.675), EPS);
  }

  @Test
  void mismatchedInputsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RouteLlmMetrics.evaluate(new double[2], new double[3], new double[2]));
  }
}
