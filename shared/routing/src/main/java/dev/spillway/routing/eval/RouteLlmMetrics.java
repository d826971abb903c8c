package dev.spillway.routing.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The metrics of RouteLLM (Ong et al., 2024), computed as its evaluation code computes them ({@code
 * routellm/evals/benchmarks.py} and {@code evaluate.py}), so that figures compare with the paper's.
 *
 * <ul>
 *   <li>The curve: the router's scores are cut at their deciles (11 edges, NumPy's linear
 *       quantiles); at each edge every prompt scoring at or above it goes to the strong candidate
 *       (above it, for the last edge), and the point is (share sent to strong in %, quality in %).
 *   <li>APGR: the area under that curve (trapezoids, x in [0, 1]) between the weak candidate's area
 *       (0) and the strong one's (1) over the same x range.
 *   <li>CPT(x): the share of calls to the strong candidate at which the curve, interpolated
 *       linearly as NumPy's {@code interp} does, reaches the weak quality plus x of the gap.
 * </ul>
 *
 * Stateless.
 */
public final class RouteLlmMetrics {

  /** RouteLLM's {@code num_results}: the scores are cut into this many quantile bins. */
  public static final int BINS = 10;

  private RouteLlmMetrics() {}

  /**
   * The quality-vs-calls curve, ordered by the share of strong calls.
   *
   * @param strongPercent per point, the share of prompts sent to the strong candidate (0–100)
   * @param qualityPercent per point, the mean quality of the routed answers (0–100)
   */
  public record Curve(double[] strongPercent, double[] qualityPercent) {}

  /** What one router achieves on one data set. */
  public record Result(double apgr, double cpt50, double cpt80, Curve curve) {}

  /**
   * @param score per prompt, the router's score (higher: the strong candidate is needed)
   * @param weak per prompt, the weak candidate's quality (0–1)
   * @param strong per prompt, the strong candidate's quality (0–1)
   */
  public static Result evaluate(double[] score, double[] weak, double[] strong) {
    int n = score.length;
    if (n == 0 || weak.length != n || strong.length != n) {
      throw new IllegalArgumentException("scores and outcomes must be non-empty and of one length");
    }
    double weakPercent = mean(weak) * 100;
    double strongPercent = mean(strong) * 100;
    Curve curve = curve(score, weak, strong);
    return new Result(
        apgr(curve, weakPercent, strongPercent),
        cpt(curve, 0.5, weakPercent, strongPercent),
        cpt(curve, 0.8, weakPercent, strongPercent),
        curve);
  }

  static Curve curve(double[] score, double[] weak, double[] strong) {
    int n = score.length;
    double[] sorted = score.clone();
    Arrays.sort(sorted);
    double[][] points = new double[BINS + 1][];
    for (int i = 0; i <= BINS; i++) {
      double edge = quantile(sorted, (double) i / BINS);
      boolean last = i == BINS;
      int toStrong = 0;
      double quality = 0;
      for (int p = 0; p < n; p++) {
        boolean strongOne = last ? score[p] > edge : score[p] >= edge;
        if (strongOne) {
          toStrong++;
          quality += strong[p];
        } else {
          quality += weak[p];
        }
      }
      points[i] = new double[] {toStrong * 100.0 / n, quality * 100.0 / n};
    }
    // A stable sort by share, as the evaluation's sort_values leaves equal shares in edge order.
    Integer[] order = IntStream.rangeClosed(0, BINS).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> points[i][0]));
    double[] x = new double[order.length];
    double[] y = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      x[i] = points[order[i]][0];
      y[i] = points[order[i]][1];
    }
    return new Curve(x, y);
  }

  static double apgr(Curve curve, double weakPercent, double strongPercent) {
    double[] x = curve.strongPercent();
    double[] y = curve.qualityPercent();
    double area = 0;
    for (int i = 1; i < x.length; i++) {
      area += (x[i] - x[i - 1]) / 100 * (y[i] + y[i - 1]) / 2;
    }
    double range = (x[x.length - 1] - x[0]) / 100;
    return (area - weakPercent * range) / (strongPercent * range - weakPercent * range);
  }

  static double cpt(Curve curve, double fraction, double weakPercent, double strongPercent) {
    return interp(
        weakPercent + fraction * (strongPercent - weakPercent),
        curve.qualityPercent(),
        curve.strongPercent());
  }

  /** NumPy's {@code interp}: {@code xp} is taken as increasing; ends are clamped. */
  static double interp(double x, double[] xp, double[] fp) {
    int n = xp.length;
    if (x < xp[0]) {
      return fp[0];
    }
    if (x >= xp[n - 1]) {
      return fp[n - 1];
    }
    int lo = 0;
    int hi = n - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (xp[mid] <= x) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double span = xp[lo + 1] - xp[lo];
    return span == 0 ? fp[lo] : fp[lo] + (x - xp[lo]) * (fp[lo + 1] - fp[lo]) / span;
  }

  /** NumPy's default (linear) quantile of sorted values. */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int below = (int) Math.floor(h);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
  }

  static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
