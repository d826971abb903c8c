package dev.spillway.routing.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CalibrationTest {

  @Test
  void clopperPearsonMatchesItsClosedFormsAndKnownValues() {
    // No events: the upper bound solves (1 - p)^n = delta.
    assertEquals(1 - Math.pow(0.05, 1 / 10.0), ClopperPearson.upper(0, 10, 0.05), 1e-9);
    // All events: the lower bound solves p^n = delta.
    assertEquals(Math.pow(0.05, 1 / 10.0), ClopperPearson.lower(10, 10, 0.05), 1e-9);
    // 5 of 20, one-sided 2.5 %: the exact two-sided 95 % interval is 0.0866–0.4910.
    assertEquals(0.0866, ClopperPearson.lower(5, 20, 0.025), 1e-4);
    assertEquals(0.4910, ClopperPearson.upper(5, 20, 0.025), 1e-4);
    assertEquals(1, ClopperPearson.upper(0, 0, 0.05));
  }

  /** 200 prompts: the 100 lowest-scoring ones never need the strong candidate, the rest do. */
  private static double[][] separable() {
    double[] score = new double[200];
    double[] weak = new double[200];
    double[] strong = new double[200];
    for (int i = 0; i < 200; i++) {
      score[i] = i;
      weak[i] = i < 100 ? 1 : 0;
      strong[i] = 1;
    }
    return new double[][] {score, weak, strong};
  }

  @Test
  void aPerfectScoreSendsTheEasyHalfToWeakAndOnlyAsManyHardOnesAsTheBudgetAllows() {
    double[][] d = separable();
    // Budget: 5 % of a strong quality of 1, i.e. 10 of the 200 prompts' worth of loss.
    double crc =
        ThresholdCalibration.calibrate(
            d[0], d[1], d[2], 0.95, 0.05, ThresholdCalibration.Method.CONFORMAL_RISK);
    assertEquals(109, crc, 1e-9, "(k + 1) / 201 <= 0.05 lets 9 hard prompts go to weak");
    double cp =
        ThresholdCalibration.calibrate(
            d[0], d[1], d[2], 0.95, 0.05, ThresholdCalibration.Method.CLOPPER_PEARSON);
    assertTrue(cp >= 100 && cp < crc, "every easy prompt to weak, fewer hard ones: " + cp);
    assertTrue(
        ClopperPearson.upper((int) cp - 100, 200, 0.05) <= 0.05
            && ClopperPearson.upper((int) cp - 99, 200, 0.05) > 0.05,
        "the last threshold whose loss bound fits the budget");
  }

  @Test
  void conformalRiskControlLetsSomeLossThroughAndClopperPearsonLess() {
    double[][] d = separable();
    // Make every fifth easy prompt a loss: the weak candidate gets it wrong.
    for (int i = 0; i < 100; i += 5) {
      d[1][i] = 0;
    }
    double cp =
        ThresholdCalibration.calibrate(
            d[0], d[1], d[2], 0.95, 0.05, ThresholdCalibration.Method.CLOPPER_PEARSON);
    double crc =
        ThresholdCalibration.calibrate(
            d[0], d[1], d[2], 0.95, 0.05, ThresholdCalibration.Method.CONFORMAL_RISK);
    // Budget 0.05 × 200 = 10 prompts' worth. CRC allows (k + 1) / 201 ≤ 0.05: k ≤ 9, i.e. the
    // prompts below 45 (losses at 0, 5, …, 40). Clopper–Pearson at δ = 0.05 allows fewer.
    assertEquals(45, crc, 1e-9);
    assertTrue(cp < crc, "the high-probability bound is stricter: " + cp);
  }

  @Test
  void tooFewPromptsSendEverythingToStrongAndBadFloorsAreRefused() {
    double[] one = {0.3};
    assertEquals(
        ThresholdCalibration.ALL_STRONG,
        ThresholdCalibration.calibrate(
            one,
            new double[] {1},
            new double[] {1},
            0.95,
            0.05,
            ThresholdCalibration.Method.CLOPPER_PEARSON));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ThresholdCalibration.calibrate(
                one, one, one, 1.5, 0.05, ThresholdCalibration.Method.CONFORMAL_RISK));
  }
}
