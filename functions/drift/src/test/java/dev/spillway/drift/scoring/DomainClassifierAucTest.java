package dev.spillway.drift.scoring;

import static dev.spillway.drift.scoring.MmdPermutationTestTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DomainClassifierAucTest {

  private static final int DIMENSION = 384;

  @Test
  void twoHalvesOfOneDistributionAreIndistinguishable() {
    SphereMixture topics = SphereMixture.random(DIMENSION, 10, 1.0, 1);
    SplittableRandom random = new SplittableRandom(2);
    DomainClassifierAuc.Result result =
        DomainClassifierAuc.evaluate(topics.sample(1000, random), topics.sample(1000, random), 3);
    assertTrue(result.auc() > 0.45 && result.auc() < 0.58, "AUC " + result.auc());
    assertEquals(DomainClassifierAuc.DEFAULT_FOLDS, result.folds());
    assertEquals(DomainClassifierAuc.DEFAULT_L2, result.l2());
  }

  @Test
  void separatedClustersAreToldApart() {
    SplittableRandom random = new SplittableRandom(4);
    float[][] reference = SphereMixture.random(DIMENSION, 3, 1.0, 5).sample(300, random);
    float[][] current = SphereMixture.random(DIMENSION, 3, 1.0, 6).sample(300, random);
    double auc = DomainClassifierAuc.evaluate(reference, current, 7).auc();
    assertTrue(auc > 0.9, "AUC " + auc);
  }

  @Test
  void aPartialShiftScoresInBetween() {
    // A topic absent from the reference makes up 30 % of the current sample: a perfect detector
    // of that topic would score 0.5 + 0.3 / 2 = 0.65, so the AUC must land well inside (0.5, 1).
    SphereMixture topics = SphereMixture.random(DIMENSION, 5, 1.0, 8);
    SplittableRandom random = new SplittableRandom(9);
    float[][] reference = topics.withWeights(1, 1, 1, 1, 0).sample(800, random);
    float[][] current = topics.withWeights(0.7, 0.7, 0.7, 0.7, 1.2).sample(800, random);
    double auc = DomainClassifierAuc.evaluate(reference, current, 10).auc();
    assertTrue(auc > 0.6 && auc < 0.7, "AUC " + auc);
  }

  @Test
  void sameSeedGivesTheSameResult() {
    SphereMixture topics = SphereMixture.random(32, 4, 1.0, 11);
    SplittableRandom random = new SplittableRandom(12);
    float[][] reference = topics.sample(100, random);
    float[][] current = topics.withWeights(1, 1, 1, 3).sample(120, random);
    assertEquals(
        DomainClassifierAuc.evaluate(reference, current, 4, 1e-3, 13),
        DomainClassifierAuc.evaluate(reference, current, 4, 1e-3, 13));
  }

  @Test
  void foldsAreStratifiedAndShuffledBySeed() {
    int[] fold = DomainClassifierAuc.stratifiedFolds(23, 17, 5, 14);
    int[][] counts = new int[2][5];
    for (int i = 0; i < fold.length; i++) {
      counts[i < 23 ? 0 : 1][fold[i]]++;
    }
    for (int f = 0; f < 5; f++) {
      assertTrue(counts[0][f] == 4 || counts[0][f] == 5, "reference rows in fold " + f);
      assertTrue(counts[1][f] == 3 || counts[1][f] == 4, "current rows in fold " + f);
    }
    assertArrayEquals(fold, DomainClassifierAuc.stratifiedFolds(23, 17, 5, 14));
    assertFalse(Arrays.equals(fold, DomainClassifierAuc.stratifiedFolds(23, 17, 5, 15)));
    // Shuffled: not simply dealt out in input order.
    int[] inOrder = new int[23];
    for (int i = 0; i < 23; i++) {
      inOrder[i] = i % 5;
    }
    assertFalse(Arrays.equals(inOrder, Arrays.copyOf(fold, 23)));
  }

  @Test
  void badInputIsRejectedByName() {
    float[][] good = {{1f, 0f}, {0f, 1f}, {1f, 1f}, {0.5f, 0.5f}, {0.2f, 0.9f}};
    assertMessage(
        "folds must be at least 2", () -> DomainClassifierAuc.evaluate(good, good, 1, 1e-3, 1));
    assertMessage("l2 must be positive", () -> DomainClassifierAuc.evaluate(good, good, 5, 0, 1));
    assertMessage(
        "l2 must be positive", () -> DomainClassifierAuc.evaluate(good, good, 5, Double.NaN, 1));
    assertMessage(
        "current has 4 rows; at least 5",
        () -> DomainClassifierAuc.evaluate(good, Arrays.copyOf(good, 4), 1));
    assertMessage(
        "reference has 0 rows", () -> DomainClassifierAuc.evaluate(new float[0][], good, 1));
    assertMessage(
        "reference has dimension 2 but current has dimension 1",
        () -> DomainClassifierAuc.evaluate(good, new float[][] {{1}, {2}, {3}, {4}, {5}}, 1));
  }
}
