package dev.spillway.routing.eval;

import java.util.Arrays;
import java.util.Random;

/**
 * Percentile bootstrap intervals of RouteLLM's metrics: prompts resampled with replacement, the
 * whole metric (deciles, curve, both models' quality) recomputed on each resample. Stateless.
 */
public final class Bootstrap {

  private Bootstrap() {}

  /** A 95 % interval. */
  public record Interval(double low, double high) {}

  /** The 95 % intervals of APGR, CPT(50 %) and CPT(80 %). */
  public record Intervals(Interval apgr, Interval cpt50, Interval cpt80) {}

  public static Intervals of(
      double[] score, double[] weak, double[] strong, int resamples, long seed) {
    int n = score.length;
    Random random = new Random(seed);
    double[] apgr = new double[resamples];
    double[] cpt50 = new double[resamples];
    double[] cpt80 = new double[resamples];
    double[] s = new double[n];
    double[] w = new double[n];
    double[] g = new double[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) {
        int pick = random.nextInt(n);
        s[i] = score[pick];
        w[i] = weak[pick];
        g[i] = strong[pick];
      }
      RouteLlmMetrics.Result result = RouteLlmMetrics.evaluate(s, w, g);
      apgr[b] = result.apgr();
      cpt50[b] = result.cpt50();
      cpt80[b] = result.cpt80();
    }
    return new Intervals(interval(apgr), interval(cpt50), interval(cpt80));
  }

  private static Interval interval(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Interval(
        RouteLlmMetrics.quantile(sorted, 0.025), RouteLlmMetrics.quantile(sorted, 0.975));
  }
}
