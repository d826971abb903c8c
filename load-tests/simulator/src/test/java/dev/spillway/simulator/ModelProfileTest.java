package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelProfileTest {

  @Test
  void zeroJitterIsExact() {
    ModelProfile profile = new ModelProfile(120, 0, 15, 0, 10);
    SplittableRandom random = new SplittableRandom(1);

    for (int i = 0; i < 100; i++) {
      assertEquals(120, profile.sampleTtftMillis(random));
      assertEquals(15, profile.sampleItlMillis(random));
    }
  }

  @Test
  void lognormalJitterKeepsTheMedianAndSkewsRight() {
    ModelProfile profile = new ModelProfile(200, 0.5, 10, 0, 10);
    SplittableRandom random = new SplittableRandom(3);
    long[] samples = new long[4001];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = profile.sampleTtftMillis(random);
    }
    Arrays.sort(samples);

    long median = samples[samples.length / 2];
    assertTrue(median > 185 && median < 215, "median " + median);
    double mean = Arrays.stream(samples).average().orElseThrow();
    assertTrue(mean > median, "mean " + mean + " above median " + median);
    assertTrue(samples[0] > 0);
  }

  @Test
  void negativeValuesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ModelProfile(-1, 0, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ModelProfile(0, -0.1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ModelProfile(0, 0, 0, 0, -1));
  }
}
