package dev.spillway.routing.model;

import dev.spillway.routing.calibration.ThresholdCalibration;
import dev.spillway.routing.data.Outcome;
import dev.spillway.routing.data.OutcomeTable;
import dev.spillway.routing.eval.CrossValidation;
import dev.spillway.routing.eval.RouteLlmMetrics;
import dev.spillway.routing.scoring.HashedRidge;
import dev.spillway.routing.scoring.LinearScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trains the router a file ships: out-of-fold scores (folds over prompts) give the figures, the
 * probability map and every category's thresholds; the shipped scorer is then fitted on all the
 * prompts. Thresholds calibrated on out-of-fold scores serve the scorer fitted on everything (the
 * cross-fitting approximation of conformal practice: each fold's model saw 1 − 1/k of the data, the
 * shipped one all of it, so its scores on new prompts behave like the out-of-fold ones). Stateless.
 */
public final class RouterTraining {

  /**
   * @param folds folds for the out-of-fold scores
   * @param seed the folds' shuffle
   * @param lambda the ridge penalty
   * @param delta the calibration bound's error probability
   * @param method how thresholds are calibrated
   */
  public record Options(
      int folds, long seed, double lambda, double delta, ThresholdCalibration.Method method) {}

  private RouterTraining() {}

  public static RouterModel train(
      OutcomeTable table, Options options, String dataSha256, String source, String licence) {
    List<Outcome> rows = table.rows();
    int weak = table.weakest();
    int strong = table.strongest();
    if (weak == strong) {
      throw new IllegalArgumentException(
          "the candidates are equally good on this data: there is nothing to route");
    }
    HashedRidge trainer = new HashedRidge(options.lambda(), 1.0, true, null, 0);
    int[] split = CrossValidation.overPrompts(rows.size(), options.folds(), options.seed());
    double[] oof = CrossValidation.outOfFold(rows, split, options.folds(), trainer, weak, strong);
    double[] weakQuality = new double[rows.size()];
    double[] strongQuality = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      weakQuality[i] = rows.get(i).quality()[weak];
      strongQuality[i] = rows.get(i).quality()[strong];
    }
    RouteLlmMetrics.Result metrics = RouteLlmMetrics.evaluate(oof, weakQuality, strongQuality);
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("apgr_out_of_fold", metrics.apgr());
    figures.put("cpt50_percent_out_of_fold", metrics.cpt50());
    figures.put("cpt80_percent_out_of_fold", metrics.cpt80());
    figures.put("weak_quality", table.mean(weak));
    figures.put("strong_quality", table.mean(strong));
    double[] platt = platt(oof, rows, weak, strong);

    Map<String, List<Integer>> byCategory = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      byCategory.computeIfAbsent(rows.get(i).category(), c -> new ArrayList<>()).add(i);
    }
    Map<String, double[]> thresholds = new TreeMap<>();
    Map<String, Integer> prompts = new TreeMap<>();
    byCategory.forEach(
        (category, members) -> {
          double[] s = new double[members.size()];
          double[] w = new double[members.size()];
          double[] g = new double[members.size()];
          for (int k = 0; k < s.length; k++) {
            int i = members.get(k);
            s[k] = oof[i];
            w[k] = weakQuality[i];
            g[k] = strongQuality[i];
          }
          double[] grid = new double[RouterModel.GRID_SIZE];
          for (int f = 0; f < grid.length; f++) {
            grid[f] =
                ThresholdCalibration.calibrate(
                    s, w, g, RouterModel.floorGrid(f), options.delta(), options.method());
          }
          thresholds.put(category, grid);
          prompts.put(category, members.size());
        });
    LinearScorer shipped = trainer.fitLinear(rows, weak, strong);
    return new RouterModel(
        List.of(table.candidates().get(weak), table.candidates().get(strong)),
        shipped,
        platt[0],
        platt[1],
        thresholds,
        new RouterModel.Calibration(
            options.method().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            options.delta(),
            prompts),
        new RouterModel.About(dataSha256, source, licence, rows.size(), figures));
  }

  /**
   * Platt scaling: logistic regression of "the strongest candidate gains on this prompt" on the
   * out-of-fold score, by Newton's method on two parameters (monotone, so the order of scores and
   * thus every metric is unchanged).
   */
  static double[] platt(double[] score, List<Outcome> rows, int weak, int strong) {
    double a = 1;
    double b = 0;
    for (int iteration = 0; iteration < 50; iteration++) {
      double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
      for (int i = 0; i < score.length; i++) {
        double y = rows.get(i).gain(weak, strong) > 0 ? 1 : 0;
        double p = 1 / (1 + Math.exp(-(a * score[i] + b)));
        double r = p - y;
        double h = Math.max(p * (1 - p), 1e-12);
        ga += r * score[i];
        gb += r;
        haa += h * score[i] * score[i];
        hab += h * score[i];
        hbb += h;
      }
      // A whisker of ridge keeps the 2×2 system solvable when the scores are all equal.
      haa += 1e-9;
      hbb += 1e-9;
      double det = haa * hbb - hab * hab;
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      a -= da;
      b -= db;
      if (Math.abs(da) + Math.abs(db) < 1e-10) {
        break;
      }
    }
    return new double[] {a, b};
  }
}
