package dev.spillway.drift.scoring;

import static dev.spillway.drift.scoring.MmdPermutationTestTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KolmogorovSmirnovTest {

  @Test
  void statisticOfSmallArraysByHand() {
    // F_a steps 1/4 at 1, 2, 3, 4; F_b steps 1/5 at 3, 4, 5, 6, 7. Just after 4 (both tied there)
    // F_a = 1 and F_b = 2/5: the largest gap, 0.6.
    KolmogorovSmirnov.Result result =
        KolmogorovSmirnov.test(new double[] {4, 2, 1, 3}, new double[] {7, 3, 5, 4, 6});
    assertEquals(0.6, result.statistic(), 1e-15);
    // Q_KS(√(20/9) · 0.6), from SciPy's scipy.special.kolmogorov.
    assertEquals(0.4004710362084578, result.pValue(), 1e-12);
  }

  @Test
  void tiesWithinAndAcrossSamplesStepTogether() {
    // Equal multisets in another order: the distribution functions agree everywhere.
    KolmogorovSmirnov.Result result =
        KolmogorovSmirnov.test(new double[] {1, 1, 2, 3, 3}, new double[] {3, 1, 3, 2, 1});
    assertEquals(0.0, result.statistic());
    assertEquals(1.0, result.pValue());
    // {1, 1, 2} against {1, 2, 2}: after 1, 2/3 against 1/3.
    assertEquals(
        1.0 / 3,
        KolmogorovSmirnov.test(new double[] {1, 1, 2}, new double[] {1, 2, 2}).statistic(),
        1e-15);
  }

  @Test
  void disjointSamplesGetATinyPValue() {
    double[] low = new double[50];
    double[] high = new double[50];
    for (int i = 0; i < 50; i++) {
      low[i] = i;
      high[i] = 100 + i;
    }
    KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(low, high);
    assertEquals(1.0, result.statistic());
    // 2 exp(-2 · 25) = 3.9e-22.
    assertTrue(result.pValue() < 1e-20 && result.pValue() > 0, "p " + result.pValue());
  }

  @Test
  void kolmogorovTailMatchesReferenceValuesOnBothSeries() {
    // scipy.special.kolmogorov at 0.5, 1.0, 1.36, 2.0.
    assertEquals(0.9639452436648751, KolmogorovSmirnov.kolmogorovTail(0.5), 1e-12);
    assertEquals(0.26999967167735456, KolmogorovSmirnov.kolmogorovTail(1.0), 1e-12);
    assertEquals(0.049485876755377876, KolmogorovSmirnov.kolmogorovTail(1.36), 1e-12);
    assertEquals(6.709252557796953e-4, KolmogorovSmirnov.kolmogorovTail(2.0), 1e-14);
    // The two series meet without a jump where the code switches between them.
    assertEquals(
        KolmogorovSmirnov.kolmogorovTail(Math.nextDown(1.18)),
        KolmogorovSmirnov.kolmogorovTail(1.18),
        1e-12);
    assertEquals(1.0, KolmogorovSmirnov.kolmogorovTail(0));
  }

  @Test
  void badInputIsRejectedByName() {
    assertMessage(
        "reference is empty", () -> KolmogorovSmirnov.test(new double[0], new double[] {1}));
    assertMessage("current is empty", () -> KolmogorovSmirnov.test(new double[] {1}, null));
    assertMessage(
        "current[0] is not a finite number",
        () -> KolmogorovSmirnov.test(new double[] {1}, new double[] {Double.POSITIVE_INFINITY}));
  }
}
