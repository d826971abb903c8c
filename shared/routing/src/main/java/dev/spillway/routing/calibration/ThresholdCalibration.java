package dev.spillway.routing.calibration;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Calibrates one category's routing threshold on held-out prompts so that the category keeps its
 * quality floor: a prompt goes to the strong candidate when its score is at or above the threshold.
 *
 * <p>The loss of a prompt sent to the weak candidate is what the strong one would have gained on
 * it, {@code max(0, strong − weak)}; a threshold is allowed when the category's expected loss stays
 * within {@code (1 − floor) × its strong quality}, so that the routed quality stays at or above
 * {@code floor ×} the strong candidate's (answers the weak candidate gets right and the strong one
 * wrong are not counted in the category's favour: the safe direction). Thresholds are tried from
 * "everything to strong" upwards and the last allowed one before the first refused is kept
 * (fixed-sequence testing: valid without a multiplicity correction because the loss only grows).
 *
 * <ul>
 *   <li>{@link Method#CLOPPER_PEARSON}: allowed when the exact upper bound of the loss rate at
 *       level δ is within the budget, so the floor holds with probability ≥ 1 − δ (binary outcomes;
 *       graded ones count a loss as soon as it is positive).
 *   <li>{@link Method#CONFORMAL_RISK}: conformal risk control, {@code (k + 1) / (n + 1) ≤ budget};
 *       the floor holds in expectation over calibration sets, and fewer prompts go to strong.
 * </ul>
 *
 * A category with too few calibration prompts for any threshold to pass sends everything to the
 * strong candidate. Stateless.
 */
public final class ThresholdCalibration {

  /** How a threshold's loss is bounded. */
  public enum Method {
    CLOPPER_PEARSON,
    /**
     * Clopper–Pearson on the net loss: the rate of prompts the strong candidate would have won
     * (upper bound at δ/2) less the rate the weak one wins (lower bound at δ/2), so answers the
     * weak candidate gets right and the strong one wrong count in the category's favour; by the
     * union bound the floor still holds with probability ≥ 1 − δ. Binary outcomes only.
     */
    CLOPPER_PEARSON_NET,
    CONFORMAL_RISK
  }

  /** Sends everything to the strong candidate. */
  public static final double ALL_STRONG = Double.NEGATIVE_INFINITY;

  private ThresholdCalibration() {}

  /**
   * @param score the router's scores on the category's calibration prompts
   * @param weak the weak candidate's quality on them (0–1)
   * @param strong the strong candidate's quality on them (0–1)
   * @param floor the category's floor, a fraction of the strong candidate's quality (0–1)
   * @param delta the bound's error probability (Clopper–Pearson only)
   * @return the threshold ({@link #ALL_STRONG} when none passes; {@code +∞} when everything may go
   *     to the weak candidate)
   */
  public static double calibrate(
      double[] score, double[] weak, double[] strong, double floor, double delta, Method method) {
    if (floor < 0 || floor > 1) {
      throw new IllegalArgumentException("a floor is a fraction between 0 and 1, got " + floor);
    }
    int n = score.length;
    if (n == 0) {
      return ALL_STRONG;
    }
    double strongQuality = 0;
    for (double q : strong) {
      strongQuality += q;
    }
    double budget = (1 - floor) * strongQuality / n;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
    double chosen = ALL_STRONG;
    int losses = 0;
    int wins = 0;
    for (int j = 0; j <= n; j++) {
      // Threshold candidate j: the j lowest-scoring prompts go to weak. Only where the score
      // changes (ties go the same way) or past the end.
      boolean boundary = j == n || j == 0 || score[order[j]] > score[order[j - 1]];
      if (j > 0) {
        int i = order[j - 1];
        if (strong[i] - weak[i] > 0) {
          losses++;
        } else if (strong[i] - weak[i] < 0) {
          wins++;
        }
      }
      if (!boundary) {
        continue;
      }
      if (!allowed(losses, wins, n, budget, delta, method)) {
        break;
      }
      chosen = j == n ? Double.POSITIVE_INFINITY : score[order[j]];
    }
    return chosen;
  }

  private static boolean allowed(
      int losses, int wins, int n, double budget, double delta, Method method) {
    return switch (method) {
      case CLOPPER_PEARSON -> ClopperPearson.upper(losses, n, delta) <= budget;
      case CLOPPER_PEARSON_NET ->
          ClopperPearson.upper(losses, n, delta / 2) - ClopperPearson.lower(wins, n, delta / 2)
              <= budget;
      case CONFORMAL_RISK -> (losses + 1.0) / (n + 1.0) <= budget;
    };
  }
}
