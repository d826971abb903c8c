package dev.spillway.drift.scoring;

/**
 * How far the average query moved: the cosine distance {@code 1 - cos(μ_ref, μ_cur)} between the
 * means of the two samples. Cheap and easy to read (0 when the centroids point the same way, 1 when
 * orthogonal, at most 2), but blind to changes that keep the mean, such as a topic mix that spreads
 * out; the MMD test and the domain classifier see those.
 *
 * <p>Means are accumulated in double. Complexity {@code O((n + m) · dimension)}. Stateless and
 * thread-safe.
 */
public final class CentroidDistance {

  private CentroidDistance() {}

  /**
   * The cosine distance between the centroids of {@code reference} and {@code current}.
   *
   * @return a value in {@code [0, 2]}
   * @throws IllegalArgumentException when a sample is missing or empty, holds rows of different
   *     dimensions or a non-finite value, when the dimensions differ, or when a centroid is the
   *     zero vector (its direction, hence the cosine, is undefined)
   */
  public static double cosine(float[][] reference, float[][] current) {
    SampleChecks.requireComparable(reference, current, 1);
    double[] a = mean(reference);
    double[] b = mean(current);
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (int k = 0; k < a.length; k++) {
      dot += a[k] * b[k];
      normA += a[k] * a[k];
      normB += b[k] * b[k];
    }
    if (normA == 0) {
      throw new IllegalArgumentException("the reference centroid is the zero vector");
    }
    if (normB == 0) {
      throw new IllegalArgumentException("the current centroid is the zero vector");
    }
    double cos = dot / Math.sqrt(normA * normB);
    return Math.max(0, Math.min(2, 1 - cos));
  }

  private static double[] mean(float[][] rows) {
    double[] sum = new double[rows[0].length];
    for (float[] row : rows) {
      for (int k = 0; k < row.length; k++) {
        sum[k] += row[k];
      }
    }
    for (int k = 0; k < sum.length; k++) {
      sum[k] /= rows.length;
    }
    return sum;
  }
}
