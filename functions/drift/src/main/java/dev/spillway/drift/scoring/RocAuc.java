package dev.spillway.drift.scoring;

import java.util.Arrays;

/**
 * Area under the ROC curve of scores against binary labels, as the Mann–Whitney statistic: the
 * probability that a random positive scores above a random negative, a tie counting ½. Computed
 * from mid-ranks, so ties anywhere are handled exactly and the cost is that of one sort.
 *
 * <p>Complexity {@code O(n log n)} time, {@code O(n)} memory. Stateless and thread-safe.
 */
public final class RocAuc {

  private RocAuc() {}

  /**
   * The AUC of {@code scores} for telling the {@code positive} entries from the others.
   *
   * @param scores one finite score per item; higher means more likely positive
   * @param positive the label of each item
   * @return a value in {@code [0, 1]}: 1 when every positive outscores every negative, 0.5 when the
   *     scores carry no information (for instance all equal), 0 when they are reversed
   * @throws IllegalArgumentException when the arrays are empty or differ in length, a score is not
   *     finite, or either class is absent
   */
  public static double of(double[] scores, boolean[] positive) {
    SampleChecks.requireFinite("scores", scores);
    if (positive == null || positive.length != scores.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: "
              + scores.length
              + " scores, "
              + (positive == null ? "no" : String.valueOf(positive.length))
              + " labels");
    }
    int n = scores.length;
    long positives = 0;
    for (boolean p : positive) {
      if (p) {
        positives++;
      }
    }
    long negatives = n - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "AUC needs both classes; got " + positives + " positive and " + negatives + " negative");
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (i, j) -> Double.compare(scores[i], scores[j]));
    double positiveRankSum = 0;
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && scores[order[end]] == scores[order[start]]) {
        end++;
      }
      // Ranks start+1 .. end share their mean.
      double midRank = (start + 1 + end) / 2.0;
      for (int t = start; t < end; t++) {
        if (positive[order[t]]) {
          positiveRankSum += midRank;
        }
      }
      start = end;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }
}
