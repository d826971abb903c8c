package dev.spillway.routing.scoring;

import dev.spillway.routing.data.Outcome;
import java.util.Objects;

/**
 * A fitted linear score over a prompt's hashed words and bigrams, its category and (optionally) its
 * shape: what a router file ships and the gateway evaluates per request. Costs one pass over the
 * prompt's words and a few hundred array reads; allocation-light, immutable, thread-safe.
 */
public final class LinearScorer implements Scorer {

  /** The size of the hashed feature space; a file with a different size is refused. */
  public static final int BUCKETS = HashedText.BUCKETS;

  private final float[] weights;
  private final double categoryWeight;
  private final boolean shape;

  /**
   * @param weights one weight per hashed bucket ({@link #BUCKETS} of them)
   * @param categoryWeight the category feature's value (0: the category is not a feature)
   * @param shape whether the prompt-shape features are used
   */
  public LinearScorer(float[] weights, double categoryWeight, boolean shape) {
    Objects.requireNonNull(weights, "weights");
    if (weights.length != BUCKETS) {
      throw new IllegalArgumentException(
          "a linear router has " + BUCKETS + " weights, got " + weights.length);
    }
    if (!(categoryWeight >= 0) || Double.isInfinite(categoryWeight)) {
      throw new IllegalArgumentException(
          "the category weight must be a finite number ≥ 0, got " + categoryWeight);
    }
    this.weights = weights.clone();
    this.categoryWeight = categoryWeight;
    this.shape = shape;
  }

  /** The raw score of a prompt in a category (higher: the strong candidate gains more). */
  public double score(String prompt, String category) {
    HashedText.Row row = HashedRidge.features(prompt, category, categoryWeight, shape);
    int[] index = row.index();
    double[] value = row.value();
    double sum = 0;
    for (int k = 0; k < index.length; k++) {
      sum += value[k] * weights[index[k]];
    }
    return sum;
  }

  @Override
  public double score(Outcome prompt) {
    return score(prompt.prompt(), prompt.category());
  }

  /** A copy of the weights. */
  public float[] weights() {
    return weights.clone();
  }

  public double categoryWeight() {
    return categoryWeight;
  }

  public boolean shape() {
    return shape;
  }
}
