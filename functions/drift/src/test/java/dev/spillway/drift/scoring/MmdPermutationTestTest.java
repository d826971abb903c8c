package dev.spillway.drift.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MmdPermutationTestTest {

  private static final int DIMENSION = 384;

  @Test
  void samplesOfOneDistributionRarelyRejectAtFivePercent() {
    SphereMixture topics = SphereMixture.random(DIMENSION, 6, 1.0, 1);
    int rejections = 0;
    double pSum = 0;
    int runs = 50;
    for (int seed = 0; seed < runs; seed++) {
      SplittableRandom random = new SplittableRandom(1000 + seed);
      MmdPermutationTest.Result result =
          MmdPermutationTest.test(topics.sample(40, random), topics.sample(40, random), 200, seed);
      if (result.pValue() <= 0.05) {
        rejections++;
      }
      pSum += result.pValue();
    }
    // Exact test: about 2.5 of 50 expected; 7 or more has probability 0.04 under a correct test.
    assertTrue(rejections <= 6, rejections + " of " + runs + " rejected at 5 %");
    // Under the null the p-value is uniform: a mean far from 0.5 means a broken p-value, for
    // instance one stuck at 1.
    double meanP = pSum / runs;
    assertTrue(meanP > 0.35 && meanP < 0.65, "mean p-value " + meanP);
  }

  @Test
  void aClearShiftGetsTheSmallestPValue() {
    SphereMixture topics = SphereMixture.random(DIMENSION, 6, 1.0, 2);
    SplittableRandom random = new SplittableRandom(3);
    float[][] reference = topics.sample(100, random);
    float[][] current = topics.withWeights(1, 1, 1, 1, 1, 12).sample(100, random);
    MmdPermutationTest.Result result = MmdPermutationTest.test(reference, current, 200, 4);
    assertTrue(result.pValue() < 0.01, "p " + result.pValue());
    assertEquals(1.0 / 201, result.pValue(), 1e-15);
    assertTrue(result.mmd2() > 0.01, "mmd2 " + result.mmd2());
    assertEquals(200, result.permutations());
  }

  @Test
  void unbiasedMmd2MatchesTheNaiveDefinitionOnATinyInput() {
    SplittableRandom random = new SplittableRandom(5);
    float[][] reference = gaussianRows(5, 6, 0.0, random);
    float[][] current = gaussianRows(7, 6, 0.4, random);
    MmdPermutationTest.Result result = MmdPermutationTest.test(reference, current, 10, 6);
    assertEquals(naiveSigma2(reference, current), result.bandwidthSigma2(), 1e-12);
    assertEquals(naiveMmd2(reference, current, result.bandwidthSigma2()), result.mmd2(), 1e-9);
  }

  @Test
  void unbiasedMmd2MatchesTheNaiveDefinitionAcrossTiles() {
    // 700 pooled rows span several column tiles and row tasks; the larger sample comes first.
    SplittableRandom random = new SplittableRandom(7);
    float[][] reference = gaussianRows(400, 20, 0.0, random);
    float[][] current = gaussianRows(300, 20, 0.05, random);
    MmdPermutationTest.Result result = MmdPermutationTest.test(reference, current, 5, 8);
    assertEquals(naiveSigma2(reference, current), result.bandwidthSigma2(), 1e-12);
    assertEquals(naiveMmd2(reference, current, result.bandwidthSigma2()), result.mmd2(), 1e-9);
  }

  @Test
  void relabelledSplitsMatchTheNaiveDefinition() {
    SplittableRandom random = new SplittableRandom(9);
    float[][] pooled = gaussianRows(150, 10, 0.0, random);
    double sigma2 = 3.0;
    RbfKernelMatrix kernel = RbfKernelMatrix.of(pooled, 60, sigma2);
    int[][] groups = new int[4][];
    groups[0] = range(0, 60);
    for (int g = 1; g < groups.length; g++) {
      groups[g] = random.ints(0, 150).distinct().limit(60).sorted().toArray();
    }
    double[] statistics = kernel.unbiasedMmd2(groups);
    for (int g = 0; g < groups.length; g++) {
      boolean[] inGroup = new boolean[150];
      for (int i : groups[g]) {
        inGroup[i] = true;
      }
      float[][] first = new float[60][];
      float[][] second = new float[90][];
      int a = 0;
      int b = 0;
      for (int i = 0; i < 150; i++) {
        if (inGroup[i]) {
          first[a++] = pooled[i];
        } else {
          second[b++] = pooled[i];
        }
      }
      // Float storage of the kernel: agreement to float precision, not double.
      assertEquals(naiveMmd2(first, second, sigma2), statistics[g], 1e-6, "split " + g);
    }
    assertEquals(kernel.splitMmd2(), statistics[0], 1e-6);
  }

  @Test
  void pValueCountsTheObservedSplitAsOneOfThePermutations() {
    assertEquals(3.0 / 5, MmdPermutationTest.pValue(0.5, new double[] {0.1, 0.5, 0.7, 0.2}));
    assertEquals(1.0 / 3, MmdPermutationTest.pValue(1.0, new double[] {0.0, 0.0}));
    assertEquals(1.0, MmdPermutationTest.pValue(-1.0, new double[] {0.0, 0.0}));
  }

  @Test
  void pValueLiesOnThePermutationGrid() {
    SphereMixture topics = SphereMixture.random(DIMENSION, 4, 1.0, 10);
    SplittableRandom random = new SplittableRandom(11);
    MmdPermutationTest.Result result =
        MmdPermutationTest.test(topics.sample(30, random), topics.sample(50, random), 99, 12);
    double count = result.pValue() * 100;
    assertEquals(Math.rint(count), count, 1e-9);
    assertTrue(count >= 1 && count <= 100);
  }

  @Test
  void sameSeedGivesTheSameResult() {
    SphereMixture topics = SphereMixture.random(DIMENSION, 4, 1.0, 13);
    SplittableRandom random = new SplittableRandom(14);
    float[][] reference = topics.sample(60, random);
    float[][] current = topics.sample(50, random);
    assertEquals(
        MmdPermutationTest.test(reference, current, 50, 15),
        MmdPermutationTest.test(reference, current, 50, 15));
  }

  @Test
  void identicalRowsGiveZeroAndPValueOne() {
    float[] row = {0.6f, 0.8f, 0f};
    float[][] reference = {row, row, row};
    float[][] current = {row, row};
    MmdPermutationTest.Result result = MmdPermutationTest.test(reference, current, 20, 16);
    assertEquals(1.0, result.bandwidthSigma2());
    assertEquals(0.0, result.mmd2(), 1e-12);
    assertEquals(1.0, result.pValue());
  }

  @Test
  void bandwidthFromASubsampleIsCloseToTheFullMedian() {
    SphereMixture topics = SphereMixture.random(16, 5, 1.0, 17);
    float[][] pooled = topics.sample(1500, new SplittableRandom(18));
    double sigma2 = MmdPermutationTest.medianHeuristicSigma2(pooled, new SplittableRandom(19));
    double full = naiveSigma2(pooled, new float[0][]);
    assertEquals(full, sigma2, 0.02 * full);
  }

  @Test
  void medianBySelectionMatchesMedianBySorting() {
    SplittableRandom random = new SplittableRandom(20);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(60);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        // Few distinct values, so that ties around the middle are common.
        values[i] = random.nextInt(round % 2 == 0 ? 5 : 1000);
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      assertEquals(expected, MmdPermutationTest.median(values), "round " + round);
    }
  }

  @Test
  void badInputIsRejectedByName() {
    float[][] good = {{1f, 0f}, {0f, 1f}, {1f, 1f}};
    assertMessage(
        "reference has 0 rows", () -> MmdPermutationTest.test(new float[0][], good, 10, 1));
    assertMessage(
        "current has 1 rows", () -> MmdPermutationTest.test(good, new float[][] {{1f, 0f}}, 10, 1));
    assertMessage(
        "reference has dimension 2 but current has dimension 3",
        () -> MmdPermutationTest.test(good, new float[][] {{1f, 0f, 0f}, {0f, 1f, 0f}}, 10, 1));
    assertMessage(
        "current row 1 has dimension 3",
        () -> MmdPermutationTest.test(good, new float[][] {{1f, 0f}, {0f, 1f, 0f}}, 10, 1));
    assertMessage(
        "current row 0 holds a non-finite value",
        () -> MmdPermutationTest.test(good, new float[][] {{Float.NaN, 0f}, {0f, 1f}}, 10, 1));
    assertMessage("reference is missing", () -> MmdPermutationTest.test(null, good, 10, 1));
    assertMessage(
        "permutations must be at least 1", () -> MmdPermutationTest.test(good, good, 0, 1));
  }

  static void assertMessage(String expected, Runnable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
  }

  /** Squared MMD by its definition, in double, straight from the rows. */
  static double naiveMmd2(float[][] x, float[][] y, double sigma2) {
    double xx = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        if (i != j) {
          xx += kernel(x[i], x[j], sigma2);
        }
      }
    }
    double yy = 0;
    for (int i = 0; i < y.length; i++) {
      for (int j = 0; j < y.length; j++) {
        if (i != j) {
          yy += kernel(y[i], y[j], sigma2);
        }
      }
    }
    double xy = 0;
    for (float[] a : x) {
      for (float[] b : y) {
        xy += kernel(a, b, sigma2);
      }
    }
    int n = x.length;
    int m = y.length;
    return xx / (n * (n - 1.0)) + yy / (m * (m - 1.0)) - 2 * xy / ((double) n * m);
  }

  /** Half the median squared distance over all pairs of the pooled rows, by sorting. */
  static double naiveSigma2(float[][] x, float[][] y) {
    float[][] pooled = SampleChecks.pool(x, y);
    int n = pooled.length;
    double[] distances = new double[n * (n - 1) / 2];
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        distances[p++] = squaredDistance(pooled[i], pooled[j]);
      }
    }
    Arrays.sort(distances);
    int middle = distances.length / 2;
    double median =
        distances.length % 2 == 1
            ? distances[middle]
            : (distances[middle - 1] + distances[middle]) / 2;
    return median / 2;
  }

  private static double kernel(float[] a, float[] b, double sigma2) {
    return Math.exp(-squaredDistance(a, b) / (2 * sigma2));
  }

  static double squaredDistance(float[] a, float[] b) {
    double sum = 0;
    for (int k = 0; k < a.length; k++) {
      double d = (double) a[k] - b[k];
      sum += d * d;
    }
    return sum;
  }

  static float[][] gaussianRows(int n, int dimension, double shift, SplittableRandom random) {
    float[][] rows = new float[n][dimension];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < dimension; k++) {
        rows[i][k] = (float) (random.nextGaussian() + (k == 0 ? shift : 0));
      }
    }
    return rows;
  }

  private static int[] range(int from, int to) {
    int[] values = new int[to - from];
    for (int i = from; i < to; i++) {
      values[i - from] = i;
    }
    return values;
  }
}
