package dev.spillway.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CutPointTest {

  @Test
  void parsesACountOrRandom() {
    assertEquals(new CutPoint.AfterTokens(3), CutPoint.parse("3"));
    assertEquals(new CutPoint.AfterTokens(0), CutPoint.parse("0"));
    assertEquals(new CutPoint.Random(), CutPoint.parse("RANDOM"));
  }

  @Test
  void rejectsAnythingElseNamingTheKey() {
    IllegalArgumentException word =
        assertThrows(IllegalArgumentException.class, () -> CutPoint.parse("soon"));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> CutPoint.parse("-1"));

    assertTrue(word.getMessage().contains("cut-at") && word.getMessage().contains("soon"));
    assertTrue(negative.getMessage().contains("cut-at"));
  }

  @Test
  void halfAndFixedCountsAreBoundedByTheAnswer() {
    assertEquals(4, CutPoint.HALF.tokensBefore(9, 0.9));
    assertEquals(3, new CutPoint.AfterTokens(3).tokensBefore(8, 0.9));
    assertEquals(8, new CutPoint.AfterTokens(50).tokensBefore(8, 0.9));
    assertEquals(0, new CutPoint.AfterTokens(0).tokensBefore(8, 0.9));
  }

  @Test
  void randomCoversOneToAllButOneUniformly() {
    CutPoint random = new CutPoint.Random();
    SplittableRandom draws = new SplittableRandom(1);
    int[] seen = new int[8];
    for (int i = 0; i < 7000; i++) {
      seen[random.tokensBefore(8, draws.nextDouble())]++;
    }

    assertEquals(0, seen[0], "at least one token arrives");
    for (int point = 1; point <= 7; point++) {
      assertTrue(seen[point] > 800 && seen[point] < 1200, "point " + point + ": " + seen[point]);
    }
    assertEquals(1, random.tokensBefore(8, 0.0));
    assertEquals(7, random.tokensBefore(8, Math.nextDown(1.0)));
    assertEquals(Integer.MAX_VALUE - 1, random.tokensBefore(Integer.MAX_VALUE, Math.nextDown(1.0)));
  }

  @Test
  void randomOnAnAnswerTooShortToSplitFallsBackToHalf() {
    Set<Integer> points = new HashSet<>();
    for (double draw = 0; draw < 1; draw += 0.1) {
      points.add(new CutPoint.Random().tokensBefore(1, draw));
      points.add(new CutPoint.Random().tokensBefore(0, draw));
    }
    assertEquals(Set.of(0), points);
  }
}
