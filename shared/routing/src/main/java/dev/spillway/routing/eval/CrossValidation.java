package dev.spillway.routing.eval;

import dev.spillway.routing.data.Outcome;
import dev.spillway.routing.scoring.Scorer;
import dev.spillway.routing.scoring.ScorerTrainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Out-of-fold scores: each prompt is scored by a model fitted without its fold. Two ways to cut
 * folds: over prompts (every category is seen in training, as in production once a category has
 * history) and grouped by category (each fold's categories are unseen, as with new traffic).
 * Stateless.
 */
public final class CrossValidation {

  private CrossValidation() {}

  /** Fold of each prompt: a seeded shuffle dealt round-robin into {@code k} folds. */
  public static int[] overPrompts(int n, int k, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    int[] fold = new int[n];
    for (int i = 0; i < n; i++) {
      fold[order.get(i)] = i % k;
    }
    return fold;
  }

  /**
   * Fold of each prompt, whole categories per fold: categories in seeded random order, each to the
   * fold that holds the fewest prompts so far.
   */
  public static int[] byCategory(List<Outcome> rows, int k, long seed) {
    Map<String, Integer> sizes = new TreeMap<>();
    for (Outcome row : rows) {
      sizes.merge(row.category(), 1, Integer::sum);
    }
    if (sizes.size() < k) {
      throw new IllegalArgumentException(
          "grouping by category needs at least " + k + " categories, the data has " + sizes.size());
    }
    List<String> categories = new ArrayList<>(sizes.keySet());
    Collections.shuffle(categories, new Random(seed));
    int[] load = new int[k];
    Map<String, Integer> foldOf = new TreeMap<>();
    for (String category : categories) {
      int smallest = 0;
      for (int f = 1; f < k; f++) {
        if (load[f] < load[smallest]) {
          smallest = f;
        }
      }
      foldOf.put(category, smallest);
      load[smallest] += sizes.get(category);
    }
    int[] fold = new int[rows.size()];
    for (int i = 0; i < fold.length; i++) {
      fold[i] = foldOf.get(rows.get(i).category());
    }
    return fold;
  }

  /** Each prompt's score from the model fitted on the other folds. */
  public static double[] outOfFold(
      List<Outcome> rows, int[] fold, int k, ScorerTrainer trainer, int weak, int strong) {
    double[] scores = new double[rows.size()];
    for (int f = 0; f < k; f++) {
      List<Outcome> train = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        if (fold[i] != f) {
          train.add(rows.get(i));
        }
      }
      Scorer scorer = trainer.fit(train, weak, strong);
      for (int i = 0; i < rows.size(); i++) {
        if (fold[i] == f) {
          scores[i] = scorer.score(rows.get(i));
        }
      }
    }
    return scores;
  }
}
