package dev.spillway.drift.scoring;

import java.util.SplittableRandom;

/**
 * Test data shaped like sentence embeddings: unit vectors scattered around a few topic centres on
 * the sphere, with a component shared by all of them (real embeddings are not centred). Immutable;
 * each {@link #sample} call draws from the generator it is given.
 */
final class SphereMixture {

  private final float[][] centres;
  private final double[] weights;
  private final double noise;

  private SphereMixture(float[][] centres, double[] weights, double noise) {
    this.centres = centres;
    this.weights = weights;
    this.noise = noise;
  }

  /**
   * A mixture of {@code components} equally likely topics in {@code dimension} dimensions.
   *
   * @param noise the standard deviation of the per-sample noise, as a share of a unit vector's
   *     length (spread over all coordinates) before normalising
   */
  static SphereMixture random(int dimension, int components, double noise, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] shared = unit(gaussian(dimension, random));
    float[][] centres = new float[components][];
    for (int c = 0; c < components; c++) {
      float[] own = unit(gaussian(dimension, random));
      float[] centre = new float[dimension];
      for (int k = 0; k < dimension; k++) {
        centre[k] = 0.6f * shared[k] + 0.8f * own[k];
      }
      centres[c] = unit(centre);
    }
    double[] weights = new double[components];
    java.util.Arrays.fill(weights, 1.0 / components);
    return new SphereMixture(centres, weights, noise);
  }

  /** The same topics with other weights (normalised here): a shift in what users ask about. */
  SphereMixture withWeights(double... newWeights) {
    double sum = 0;
    for (double w : newWeights) {
      sum += w;
    }
    double[] normalised = new double[newWeights.length];
    for (int c = 0; c < newWeights.length; c++) {
      normalised[c] = newWeights[c] / sum;
    }
    return new SphereMixture(centres, normalised, noise);
  }

  /** {@code n} unit rows. */
  float[][] sample(int n, SplittableRandom random) {
    int dimension = centres[0].length;
    double perCoordinate = noise / Math.sqrt(dimension);
    float[][] rows = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] centre = centres[pick(random)];
      float[] row = new float[dimension];
      for (int k = 0; k < dimension; k++) {
        row[k] = (float) (centre[k] + perCoordinate * random.nextGaussian());
      }
      rows[i] = unit(row);
    }
    return rows;
  }

  private int pick(SplittableRandom random) {
    double u = random.nextDouble();
    for (int c = 0; c < weights.length - 1; c++) {
      u -= weights[c];
      if (u < 0) {
        return c;
      }
    }
    return weights.length - 1;
  }

  private static float[] gaussian(int dimension, SplittableRandom random) {
    float[] v = new float[dimension];
    for (int k = 0; k < dimension; k++) {
      v[k] = (float) random.nextGaussian();
    }
    return v;
  }

  private static float[] unit(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    double inverse = 1 / Math.sqrt(sum);
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) (v[k] * inverse);
    }
    return v;
  }
}
