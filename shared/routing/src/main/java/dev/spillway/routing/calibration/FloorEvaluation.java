package dev.spillway.routing.calibration;

import dev.spillway.routing.data.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Checks per-category floors on data the thresholds never saw: within each category the prompts are
 * split in two halves (seeded); the threshold calibrated on one half routes the other, and the
 * other way round, so every prompt is routed once by a threshold fitted without it. Scores must
 * themselves be out-of-fold. Stateless.
 */
public final class FloorEvaluation {

  private FloorEvaluation() {}

  /**
   * One category's result on its test prompts.
   *
   * @param routedLow the 95 % Clopper–Pearson interval of the routed quality (binary outcomes)
   * @param belowFloor true when even the interval's upper end is below the floor
   */
  public record CategoryResult(
      String category,
      int prompts,
      double strongShare,
      double routedQuality,
      double routedLow,
      double routedHigh,
      double floorQuality,
      boolean belowFloor) {}

  /** Every category's result and the totals. */
  public record Result(
      List<CategoryResult> categories,
      double strongShare,
      double routedQuality,
      double strongQuality) {

    /**
     * Categories with at least {@code minPrompts} test prompts below their floor beyond the
     * interval.
     */
    public long violations(int minPrompts) {
      return categories.stream().filter(c -> c.prompts() >= minPrompts && c.belowFloor()).count();
    }
  }

  public static Result evaluate(
      List<Outcome> rows,
      double[] scores,
      int weak,
      int strong,
      double floor,
      double delta,
      ThresholdCalibration.Method method,
      long seed) {
    Map<String, List<Integer>> byCategory = new TreeMap<>();
    for (int i = 0; i < rows.size(); i++) {
      byCategory.computeIfAbsent(rows.get(i).category(), c -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    List<CategoryResult> results = new ArrayList<>();
    int toStrong = 0;
    double routedTotal = 0;
    double strongTotal = 0;
    for (Map.Entry<String, List<Integer>> category : byCategory.entrySet()) {
      List<Integer> prompts = new ArrayList<>(category.getValue());
      Collections.shuffle(prompts, random);
      List<Integer> a = prompts.subList(0, prompts.size() / 2);
      List<Integer> b = prompts.subList(prompts.size() / 2, prompts.size());
      double thresholdA = threshold(rows, scores, a, weak, strong, floor, delta, method);
      double thresholdB = threshold(rows, scores, b, weak, strong, floor, delta, method);
      int strongCalls = 0;
      int correct = 0;
      double routed = 0;
      double strongQuality = 0;
      for (int half = 0; half < 2; half++) {
        List<Integer> test = half == 0 ? b : a;
        double threshold = half == 0 ? thresholdA : thresholdB;
        for (int i : test) {
          double[] quality = rows.get(i).quality();
          boolean sendStrong = scores[i] >= threshold;
          double q = sendStrong ? quality[strong] : quality[weak];
          strongCalls += sendStrong ? 1 : 0;
          routed += q;
          correct += q >= 0.5 ? 1 : 0;
          strongQuality += quality[strong];
        }
      }
      int n = prompts.size();
      double floorQuality = floor * strongQuality / n;
      double high = ClopperPearson.upper(correct, n, 0.025);
      results.add(
          new CategoryResult(
              category.getKey(),
              n,
              (double) strongCalls / n,
              routed / n,
              ClopperPearson.lower(correct, n, 0.025),
              high,
              floorQuality,
              high < floorQuality));
      toStrong += strongCalls;
      routedTotal += routed;
      strongTotal += strongQuality;
    }
    return new Result(
        results,
        (double) toStrong / rows.size(),
        routedTotal / rows.size(),
        strongTotal / rows.size());
  }

  private static double threshold(
      List<Outcome> rows,
      double[] scores,
      List<Integer> calibration,
      int weak,
      int strong,
      double floor,
      double delta,
      ThresholdCalibration.Method method) {
    double[] s = new double[calibration.size()];
    double[] w = new double[calibration.size()];
    double[] g = new double[calibration.size()];
    for (int k = 0; k < s.length; k++) {
      int i = calibration.get(k);
      s[k] = scores[i];
      w[k] = rows.get(i).quality()[weak];
      g[k] = rows.get(i).quality()[strong];
    }
    return ThresholdCalibration.calibrate(s, w, g, floor, delta, method);
  }
}
