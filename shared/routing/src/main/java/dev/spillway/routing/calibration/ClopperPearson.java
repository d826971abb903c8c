package dev.spillway.routing.calibration;

/** Exact (Clopper–Pearson) binomial confidence bounds. Stateless. */
public final class ClopperPearson {

  private ClopperPearson() {}

  /**
   * The one-sided upper bound of a rate after {@code k} events in {@code n} trials: the p at which
   * seeing at most k events has probability {@code delta}. 1 when n is 0.
   */
  public static double upper(int k, int n, double delta) {
    if (n == 0 || k >= n) {
      return 1;
    }
    double lo = (double) k / n;
    double hi = 1;
    for (int i = 0; i < 60; i++) {
      double mid = (lo + hi) / 2;
      if (cdf(k, n, mid) > delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }

  /** The one-sided lower bound: the p at which seeing at least k events has probability delta. */
  public static double lower(int k, int n, double delta) {
    if (n == 0 || k == 0) {
      return 0;
    }
    return 1 - upper(n - k, n, delta);
  }

  /** P(X ≤ k) for X ~ Binomial(n, p), summed in log space. */
  static double cdf(int k, int n, double p) {
    if (p <= 0) {
      return 1;
    }
    if (p >= 1) {
      return k >= n ? 1 : 0;
    }
    double logP = Math.log(p);
    double logQ = Math.log1p(-p);
    double logChoose = 0;
    double sum = 0;
    for (int j = 0; j <= k; j++) {
      if (j > 0) {
        logChoose += Math.log(n - j + 1) - Math.log(j);
      }
      sum += Math.exp(logChoose + j * logP + (n - j) * logQ);
    }
    return Math.min(1, sum);
  }
}
