package dev.spillway.quota.allocation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FairShareTest {

  @Test
  void everyoneGetsWhatItWantsWhenThereIsEnough() {
    assertArrayEquals(
        new long[] {10, 20, 30},
        FairShare.allocate(100, new long[] {10, 20, 30}, new long[] {1, 1, 1}));
  }

  @Test
  void aModestClaimantLeavesItsRestToTheOthers() {
    // Equal split would be 33 each; the first wants 10, so 45 each for the other two.
    assertArrayEquals(
        new long[] {10, 45, 45},
        FairShare.allocate(100, new long[] {10, 1000, 1000}, new long[] {1, 1, 1}));
  }

  @Test
  void weightsDivideInProportion() {
    assertArrayEquals(
        new long[] {25, 75}, FairShare.allocate(100, new long[] {500, 500}, new long[] {1, 3}));
  }

  @Test
  void weightedWaterFillingRedistributesASatisfiedHeavyClaimant() {
    // Weight 3 would get 75 but wants 30; the other 70 go to the weight-1 claimant, not 25.
    assertArrayEquals(
        new long[] {70, 30}, FairShare.allocate(100, new long[] {500, 30}, new long[] {1, 3}));
  }

  @Test
  void zeroAndNegativeDemandsGetNothing() {
    assertArrayEquals(
        new long[] {0, 0, 100},
        FairShare.allocate(100, new long[] {0, -5, 200}, new long[] {1, 1, 1}));
  }

  @Test
  void roundingLosesNoWholeUnit() {
    long[] share = FairShare.allocate(10, new long[] {100, 100, 100}, new long[] {1, 1, 1});
    assertEquals(10, Arrays.stream(share).sum());
    assertTrue(Arrays.stream(share).allMatch(s -> s == 3 || s == 4));
  }

  @Test
  void randomInputsRespectCapacityAndDemand() {
    Random random = new Random(42);
    for (int round = 0; round < 10_000; round++) {
      int n = 1 + random.nextInt(8);
      long[] demands = new long[n];
      long[] weights = new long[n];
      for (int i = 0; i < n; i++) {
        demands[i] = random.nextInt(1000) - 50;
        weights[i] = 1 + random.nextInt(5);
      }
      long capacity = random.nextInt(3000) - 100;
      long[] share = FairShare.allocate(capacity, demands, weights);
      long sum = 0;
      long wanted = 0;
      for (int i = 0; i < n; i++) {
        assertTrue(share[i] >= 0 && share[i] <= Math.max(0, demands[i]));
        sum += share[i];
        wanted += Math.max(0, demands[i]);
      }
      assertTrue(sum <= Math.max(0, capacity));
      // Max-min leaves nothing idle while someone still wants more.
      assertEquals(Math.min(Math.max(0, capacity), wanted), sum);
    }
  }
}
