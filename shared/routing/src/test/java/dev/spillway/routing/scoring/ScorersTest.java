package dev.spillway.routing.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.routing.data.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each scorer learns what it should from planted data, and only that. */
class ScorersTest {

  private static final String[] FILLER = {"river", "stone", "cloud", "paper", "window", "garden"};

  /** Prompts where the strong candidate is needed exactly when the prompt says "integral". */
  private static List<Outcome> planted(int n, long seed) {
    Random random = new Random(seed);
    List<Outcome> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean hard = random.nextBoolean();
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 8; w++) {
        text.append(FILLER[random.nextInt(FILLER.length)]).append(' ');
      }
      if (hard) {
        text.append("integral");
      }
      String category = i % 2 == 0 ? "a" : "b";
      rows.add(new Outcome(text.toString(), category, new double[] {hard ? 0 : 1, 1}));
    }
    return rows;
  }

  @Test
  void theRidgeModelFindsTheWordThatMakesAPromptHard() {
    Scorer scorer = new HashedRidge(1.0, 1.0).fit(planted(400, 1), 0, 1);
    int ranked = 0;
    List<Outcome> test = planted(200, 2);
    double hardMin = Double.MAX_VALUE;
    double easyMax = -Double.MAX_VALUE;
    for (Outcome row : test) {
      double score = scorer.score(row);
      if (row.quality()[0] == 0) {
        hardMin = Math.min(hardMin, score);
      } else {
        easyMax = Math.max(easyMax, score);
      }
      ranked++;
    }
    assertEquals(200, ranked);
    assertTrue(hardMin > easyMax, "every hard prompt above every easy one");
  }

  @Test
  void theCategoryGapIsTheCategorysMeanGainAndTheOverallMeanForAnUnseenOne() {
    List<Outcome> train =
        List.of(
            new Outcome("x", "law", new double[] {0, 1}),
            new Outcome("y", "law", new double[] {1, 1}),
            new Outcome("z", "maths", new double[] {1, 0}));
    Scorer gap = Baselines.categoryGap().fit(train, 0, 1);
    assertEquals(0.5, gap.score(new Outcome("new", "law", null)), 1e-12);
    assertEquals(-1, gap.score(new Outcome("new", "maths", null)), 1e-12);
    assertEquals(0, gap.score(new Outcome("new", "art", null)), 1e-12, "(1 + 0 - 1) / 3");
  }

  @Test
  void randomIsSeededAndLengthIsTheLength() {
    Outcome prompt = new Outcome("four", "c", null);
    ScorerTrainer random = Baselines.random(7);
    assertEquals(
        random.fit(List.of(), 0, 1).score(prompt),
        Baselines.random(7).fit(List.of(), 0, 1).score(prompt));
    assertTrue(
        random.fit(List.of(), 0, 1).score(prompt)
            != Baselines.random(8).fit(List.of(), 0, 1).score(prompt));
    assertEquals(4, Baselines.length().fit(List.of(), 0, 1).score(prompt));
  }
}
