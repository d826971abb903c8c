package dev.spillway.drift.scoring;

import static dev.spillway.drift.scoring.MmdPermutationTestTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CentroidDistanceTest {

  @Test
  void identicalSetsAreAtDistanceZero() {
    float[][] rows = SphereMixture.random(384, 4, 1.0, 1).sample(50, new SplittableRandom(2));
    assertEquals(0.0, CentroidDistance.cosine(rows, rows.clone()), 1e-12);
  }

  @Test
  void orthogonalMeansAreAtDistanceOne() {
    float[][] reference = {{1, 0, 0}, {1, 0, 0}};
    float[][] current = {{0, 1, 0}, {0, 0.6f, 0.8f}, {0, 0.6f, -0.8f}};
    assertEquals(1.0, CentroidDistance.cosine(reference, current), 1e-12);
  }

  @Test
  void knownAnglesGiveTheirCosineDistance() {
    // Means (1, 0) and (0.5, 0.5): 45 degrees apart.
    float[][] reference = {{1, 0}};
    float[][] current = {{1, 0}, {0, 1}};
    assertEquals(1 - Math.sqrt(0.5), CentroidDistance.cosine(reference, current), 1e-7);
    assertEquals(2.0, CentroidDistance.cosine(reference, new float[][] {{-3, 0}}), 1e-12);
  }

  @Test
  void badInputIsRejectedByName() {
    float[][] good = {{1, 0}, {0, 1}};
    assertMessage(
        "the current centroid is the zero vector",
        () -> CentroidDistance.cosine(good, new float[][] {{1, 0}, {-1, 0}}));
    assertMessage(
        "reference has dimension 2 but current has dimension 3",
        () -> CentroidDistance.cosine(good, new float[][] {{1, 0, 0}}));
    assertMessage("current has 0 rows", () -> CentroidDistance.cosine(good, new float[0][]));
    assertMessage(
        "reference row 1 is empty", () -> CentroidDistance.cosine(new float[][] {{1}, {}}, good));
  }
}
