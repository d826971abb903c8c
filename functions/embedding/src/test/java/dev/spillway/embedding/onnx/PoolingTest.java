package dev.spillway.embedding.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PoolingTest {

  @Test
  void maskedMeanIgnoresPaddingPositions() {
    // batch 2, sequence 3, dimensions 2; row 1 has one real token and two padding tokens.
    float[] hidden = {1, 2, 3, 4, 5, 6, /* row 1 */ 10, 20, 999, 999, -999, 999};
    long[] mask = {1, 1, 1, 1, 0, 0};
    assertArrayEquals(new float[] {3, 4}, Pooling.maskedMean(hidden, mask, 0, 3, 2));
    assertArrayEquals(new float[] {10, 20}, Pooling.maskedMean(hidden, mask, 1, 3, 2));
  }

  @Test
  void firstTakesTheClsVector() {
    float[] hidden = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(new float[] {5, 6}, Pooling.first(hidden, 1, 2, 2));
  }

  @Test
  void l2NormalizeGivesUnitLengthAndKeepsZero() {
    assertArrayEquals(new float[] {0.6f, 0.8f}, Pooling.l2Normalize(new float[] {3, 4}), 1e-7f);
    assertArrayEquals(new float[] {0, 0}, Pooling.l2Normalize(new float[] {0, 0}));
  }

  @Test
  void cosineOfParallelAndOrthogonalVectors() {
    assertEquals(1.0, Pooling.cosine(new float[] {1, 2}, new float[] {2, 4}), 1e-12);
    assertEquals(0.0, Pooling.cosine(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
  }
}
