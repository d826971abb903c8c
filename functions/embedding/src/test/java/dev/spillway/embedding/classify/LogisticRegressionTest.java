package dev.spillway.embedding.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogisticRegressionTest {

  /** Three Gaussian clusters on the unit sphere of R^8, one per label. */
  private static float[][] clusters(int perLabel, Random random, List<String> labels) {
    float[][] centers = new float[3][8];
    centers[0][0] = 1;
    centers[1][3] = 1;
    centers[2][6] = 1;
    float[][] x = new float[perLabel * 3][8];
    for (int i = 0; i < x.length; i++) {
      int c = i % 3;
      for (int d = 0; d < 8; d++) {
        x[i][d] = centers[c][d] + (float) (random.nextGaussian() * 0.25);
      }
      labels.add(List.of("a", "b", "c").get(c));
    }
    return x;
  }

  @Test
  void learnsSeparableClustersAndReportsHeldOutAccuracy() {
    List<String> labels = new ArrayList<>();
    float[][] x = clusters(100, new Random(1), labels);
    TrainHeadCommand.Result result =
        TrainHeadCommand.train(
            "m", x, labels, 0.2, 42, new LogisticRegression.Settings(200, 1.0, 1e-4), Map.of());
    assertEquals(60, result.heldOut());
    assertEquals(240, result.train());
    assertTrue(result.heldOutAccuracy() > 0.95, "accuracy " + result.heldOutAccuracy());
    assertEquals(List.of("a", "b", "c"), result.head().labels());
    double[] p = result.head().probabilities(new float[] {0, 0, 0, 1, 0, 0, 0, 0});
    assertEquals(1.0, p[0] + p[1] + p[2], 1e-9);
    assertEquals(1, LogisticRegression.argmax(p));
  }

  @Test
  void chanceLevelOnRandomLabels() {
    Random random = new Random(3);
    List<String> labels = new ArrayList<>();
    float[][] x = clusters(100, random, new ArrayList<>());
    for (int i = 0; i < x.length; i++) {
      labels.add(random.nextBoolean() ? "yes" : "no");
    }
    TrainHeadCommand.Result result =
        TrainHeadCommand.train(
            "m", x, labels, 0.3, 42, new LogisticRegression.Settings(100, 1.0, 1e-4), Map.of());
    assertTrue(result.heldOutAccuracy() < 0.7, "no signal to learn: " + result.heldOutAccuracy());
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    double[] p = LogisticRegression.softmax(new double[] {1000, 1000, -1000});
    assertArrayEquals(new double[] {0.5, 0.5, 0}, p, 1e-12);
  }

  @Test
  void headRoundTripsThroughItsJsonFormat(@TempDir Path dir) throws Exception {
    ClassifierHead head =
        new ClassifierHead(
            ClassifierHead.FORMAT,
            "all-minilm-l6-v2-q",
            List.of("x", "y"),
            new float[][] {{1, 2}, {3, 4}},
            new float[] {0.5f, -0.5f},
            Map.of("note", "test"));
    Path file = dir.resolve("head.json");
    head.write(file);
    assertTrue(Files.readString(file).contains(ClassifierHead.FORMAT));
    ClassifierHead read = ClassifierHead.read(file);
    assertEquals(head.labels(), read.labels());
    assertArrayEquals(head.weights()[1], read.weights()[1]);
    assertArrayEquals(
        head.probabilities(new float[] {1, 1}), read.probabilities(new float[] {1, 1}));
  }

  @Test
  void aHeadWithMismatchedShapesIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new ClassifierHead(
                ClassifierHead.FORMAT,
                "m",
                List.of("x", "y"),
                new float[][] {{1, 2}},
                new float[] {0, 0},
                Map.of()));
  }
}
