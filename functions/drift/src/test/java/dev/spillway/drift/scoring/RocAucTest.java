package dev.spillway.drift.scoring;

import static dev.spillway.drift.scoring.MmdPermutationTestTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RocAucTest {

  @Test
  void allScoresTiedGiveOneHalf() {
    assertEquals(
        0.5,
        RocAuc.of(new double[] {2, 2, 2, 2, 2}, new boolean[] {true, false, false, true, false}));
  }

  @Test
  void perfectSeparationGivesOneAndReversedGivesZero() {
    boolean[] labels = {false, false, true, true, true};
    assertEquals(1.0, RocAuc.of(new double[] {0.1, 0.2, 0.3, 0.9, 0.5}, labels));
    assertEquals(0.0, RocAuc.of(new double[] {0.9, 0.8, 0.3, 0.1, 0.2}, labels));
  }

  @Test
  void countsPairsByHand() {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered right.
    assertEquals(
        0.75,
        RocAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}));
    // Positives 0.5 and 0.7 against negatives 0.5 and 0.2: 3 right, 1 tie counted half.
    assertEquals(
        0.875,
        RocAuc.of(new double[] {0.5, 0.5, 0.7, 0.2}, new boolean[] {true, false, true, false}));
  }

  @Test
  void badInputIsRejectedByName() {
    assertMessage(
        "scores and labels differ in length",
        () -> RocAuc.of(new double[] {1, 2}, new boolean[] {true}));
    assertMessage(
        "AUC needs both classes", () -> RocAuc.of(new double[] {1, 2}, new boolean[] {true, true}));
    assertMessage(
        "scores[1] is not a finite number",
        () -> RocAuc.of(new double[] {1, Double.NaN}, new boolean[] {true, false}));
    assertMessage("scores is empty", () -> RocAuc.of(new double[0], new boolean[0]));
  }
}
