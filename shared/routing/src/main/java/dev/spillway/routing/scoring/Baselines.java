package dev.spillway.routing.scoring;

import dev.spillway.routing.data.Outcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines a router is measured against, fitted on the same folds in the same run: random
 * order, the prompt's length, and the category's average quality gap alone.
 */
public final class Baselines {

  private Baselines() {}

  /** A seeded random score per prompt text: RouteLLM's random router (APGR about 0.5). */
  public static ScorerTrainer random(long seed) {
    return named(
        "random",
        (train, weak, strong) ->
            prompt -> {
              long h = seed * 0x9E3779B97F4A7C15L + prompt.prompt().hashCode();
              h ^= h >>> 33;
              h *= 0xff51afd7ed558ccdL;
              h ^= h >>> 33;
              return (h >>> 11) * 0x1.0p-53;
            });
  }

  /** Longer prompts are harder: the score is the prompt's length in characters. */
  public static ScorerTrainer length() {
    return named("length", (train, weak, strong) -> prompt -> prompt.prompt().length());
  }

  /**
   * The category's mean gain of the strong candidate over the weak one in the training data; a
   * category the training data lacks gets the overall mean. Every prompt of a category ties, so
   * this is routing by whole categories.
   */
  public static ScorerTrainer categoryGap() {
    return named(
        "category-gap",
        (train, weak, strong) -> {
          Map<String, double[]> sums = new HashMap<>();
          double total = 0;
          for (Outcome row : train) {
            double[] sum = sums.computeIfAbsent(row.category(), c -> new double[2]);
            sum[0] += row.gain(weak, strong);
            sum[1]++;
            total += row.gain(weak, strong);
          }
          double overall = train.isEmpty() ? 0 : total / train.size();
          Map<String, Double> gap = new HashMap<>();
          sums.forEach((category, sum) -> gap.put(category, sum[0] / sum[1]));
          return prompt -> gap.getOrDefault(prompt.category(), overall);
        });
  }

  interface Fit {
    Scorer fit(List<Outcome> train, int weak, int strong);
  }

  static ScorerTrainer named(String name, Fit fit) {
    return new ScorerTrainer() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Scorer fit(List<Outcome> train, int weak, int strong) {
        return fit.fit(train, weak, strong);
      }
    };
  }
}
