package dev.spillway.routing.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.routing.data.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

  private static List<Outcome> rows(int perCategory, int categories) {
    List<Outcome> rows = new ArrayList<>();
    for (int c = 0; c < categories; c++) {
      for (int i = 0; i < perCategory; i++) {
        rows.add(new Outcome("p" + c + "-" + i, "c" + c, new double[] {0, 1}));
      }
    }
    return rows;
  }

  @Test
  void foldsOverPromptsAreBalancedAndSeeded() {
    int[] folds = CrossValidation.overPrompts(103, 5, 42);
    int[] sizes = new int[5];
    for (int f : folds) {
      sizes[f]++;
    }
    for (int size : sizes) {
      assertTrue(size == 20 || size == 21, "balanced: " + size);
    }
    assertArrayEquals(folds, CrossValidation.overPrompts(103, 5, 42), "same seed, same folds");
  }

  @Test
  void foldsByCategoryKeepEveryCategoryWhole() {
    List<Outcome> rows = rows(7, 12);
    int[] folds = CrossValidation.byCategory(rows, 5, 42);
    Map<String, Set<Integer>> foldsOf = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      foldsOf.computeIfAbsent(rows.get(i).category(), c -> new HashSet<>()).add(folds[i]);
    }
    foldsOf.values().forEach(f -> assertEquals(1, f.size(), "one fold per category"));
  }

  @Test
  void outOfFoldScoresComeFromModelsThatNeverSawThePrompt() {
    List<Outcome> rows = rows(4, 5);
    int[] folds = CrossValidation.overPrompts(rows.size(), 5, 1);
    double[] scores =
        CrossValidation.outOfFold(
            rows,
            folds,
            5,
            new dev.spillway.routing.scoring.ScorerTrainer() {
              @Override
              public String name() {
                return "remembers";
              }

              @Override
              public dev.spillway.routing.scoring.Scorer fit(
                  List<Outcome> train, int weak, int strong) {
                Set<String> seen = new HashSet<>();
                train.forEach(r -> seen.add(r.prompt()));
                return prompt -> seen.contains(prompt.prompt()) ? 1 : 0;
              }
            },
            0,
            1);
    for (double score : scores) {
      assertEquals(0, score, "no prompt was in its own model's training data");
    }
  }
}
