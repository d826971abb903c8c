package dev.spillway.drift.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquaredDistanceTilesTest {

  @Test
  void everyPairIsVisitedOnceWithItsExactDistance() {
    // Sizes around the tile (128) and task (512) boundaries, including a lone row.
    for (int n : new int[] {2, 3, 127, 128, 129, 515, 700}) {
      float[][] rows = MmdPermutationTestTest.gaussianRows(n, 9, 0, new SplittableRandom(n));
      int[][] visits = new int[n][n];
      double[][] seen = new double[n][n];
      SquaredDistanceTiles.compute(
          rows,
          () ->
              (i, columnStart, columnEnd, distances) -> {
                for (int j = Math.max(i + 1, columnStart); j < columnEnd; j++) {
                  // Distinct tasks touch distinct pairs, so unsynchronised writes are safe.
                  visits[i][j]++;
                  seen[i][j] = distances[j - columnStart];
                }
              });
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          assertEquals(1, visits[i][j], "n " + n + " pair " + i + "," + j);
          assertEquals(MmdPermutationTestTest.squaredDistance(rows[i], rows[j]), seen[i][j], 1e-12);
        }
      }
    }
  }
}
