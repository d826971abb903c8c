package dev.spillway.routing.scoring;

import dev.spillway.routing.data.Embeddings;
import dev.spillway.routing.data.Outcome;
import java.util.List;

/**
 * A linear model of the strong candidate's gain over the weak one, on hashed words and bigrams of
 * the prompt and (optionally) its category, fitted by ridge regression (conjugate gradients on the
 * normal equations, which never forms the 2^18-square matrix). The bag-of-words baseline.
 */
public final class HashedRidge implements ScorerTrainer {

  private final double lambda;
  private final double categoryWeight;
  private final Embeddings embeddings;
  private final double embeddingWeight;
  private final boolean shape;
  private final int iterations = 200;

  /**
   * @param lambda the L2 penalty (larger: smoother, less fitted to the training prompts)
   * @param categoryWeight the category feature's value against the words' norm of 1 (0: the
   *     category is not a feature)
   */
  public HashedRidge(double lambda, double categoryWeight) {
    this(lambda, categoryWeight, false, null, 0);
  }

  /**
   * @param shape whether the prompt's shape ({@link PromptShape}: length, digits, maths, code,
   *     lines, questions) adds features, weighted like the category
   * @param embeddings the prompts' embeddings, appended as dense features (null: none)
   * @param embeddingWeight their scale against the words' norm of 1
   */
  public HashedRidge(
      double lambda,
      double categoryWeight,
      boolean shape,
      Embeddings embeddings,
      double embeddingWeight) {
    this.lambda = lambda;
    this.categoryWeight = categoryWeight;
    this.shape = shape;
    this.embeddings = embeddings;
    this.embeddingWeight = embeddingWeight;
  }

  @Override
  public String name() {
    String name = categoryWeight > 0 ? "bow-ridge+category" : "bow-ridge";
    if (shape) {
      name += "+shape";
    }
    return embeddings == null ? name : name + "+embedding";
  }

  private int dimensions() {
    return HashedText.BUCKETS + (embeddings == null ? 0 : embeddings.dimension());
  }

  /**
   * The sparse features of a prompt: words, bigrams, the bias, the category (null: none) and its
   * shape.
   */
  static HashedText.Row features(
      String text, String category, double categoryWeight, boolean shape) {
    String[] cheap = shape ? PromptShape.features(text) : new String[0];
    String[] extras = java.util.Arrays.copyOf(cheap, cheap.length + 2);
    extras[cheap.length] = "bias";
    // No category known (a caller that names none): the category feature is left out.
    extras[cheap.length + 1] =
        categoryWeight > 0 && category != null ? "category=" + category : "bias";
    return HashedText.of(text, categoryWeight > 0 ? categoryWeight : 1, extras);
  }

  private HashedText.Row row(Outcome prompt) {
    String text = prompt.prompt();
    HashedText.Row hashed = features(text, prompt.category(), categoryWeight, shape);
    if (embeddings == null) {
      return hashed;
    }
    float[] vector = embeddings.of(text);
    int sparse = hashed.index().length;
    int[] index = java.util.Arrays.copyOf(hashed.index(), sparse + vector.length);
    double[] value = java.util.Arrays.copyOf(hashed.value(), sparse + vector.length);
    for (int d = 0; d < vector.length; d++) {
      index[sparse + d] = HashedText.BUCKETS + d;
      value[sparse + d] = embeddingWeight * vector[d];
    }
    return new HashedText.Row(index, value);
  }

  @Override
  public Scorer fit(List<Outcome> train, int weak, int strong) {
    double[] w = weights(train, weak, strong);
    return prompt -> dot(row(prompt), w);
  }

  /**
   * The model a router file ships: fitted like {@link #fit}, its weights rounded to single
   * precision (what the file stores, so the scores served and the scores calibrated are the same
   * numbers). Only without embeddings: serving them would need the embedding call on every request.
   */
  public LinearScorer fitLinear(List<Outcome> train, int weak, int strong) {
    if (embeddings != null) {
      throw new IllegalStateException("a shipped router model does not take embeddings");
    }
    double[] w = weights(train, weak, strong);
    float[] rounded = new float[HashedText.BUCKETS];
    for (int j = 0; j < rounded.length; j++) {
      rounded[j] = (float) w[j];
    }
    return new LinearScorer(rounded, categoryWeight, shape);
  }

  private double[] weights(List<Outcome> train, int weak, int strong) {
    HashedText.Row[] rows = new HashedText.Row[train.size()];
    double[] y = new double[train.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = row(train.get(i));
      y[i] = train.get(i).gain(weak, strong);
    }
    return solve(rows, y);
  }

  /** Solves (XᵀX + λI) w = Xᵀy by conjugate gradients. */
  private double[] solve(HashedText.Row[] rows, double[] y) {
    int d = dimensions();
    double[] w = new double[d];
    double[] r = transposeTimes(rows, y, d);
    double[] p = r.clone();
    double rr = dot(r, r);
    double tolerance = rr * 1e-10;
    for (int k = 0; k < iterations && rr > tolerance; k++) {
      double[] ap = normalTimes(rows, p, d);
      double alpha = rr / dot(p, ap);
      for (int j = 0; j < d; j++) {
        w[j] += alpha * p[j];
        r[j] -= alpha * ap[j];
      }
      double next = dot(r, r);
      double beta = next / rr;
      rr = next;
      for (int j = 0; j < d; j++) {
        p[j] = r[j] + beta * p[j];
      }
    }
    return w;
  }

  private double[] normalTimes(HashedText.Row[] rows, double[] v, int d) {
    double[] xv = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      xv[i] = dot(rows[i], v);
    }
    double[] out = transposeTimes(rows, xv, d);
    for (int j = 0; j < d; j++) {
      out[j] += lambda * v[j];
    }
    return out;
  }

  private static double[] transposeTimes(HashedText.Row[] rows, double[] u, int d) {
    double[] out = new double[d];
    for (int i = 0; i < rows.length; i++) {
      int[] index = rows[i].index();
      double[] value = rows[i].value();
      for (int k = 0; k < index.length; k++) {
        out[index[k]] += value[k] * u[i];
      }
    }
    return out;
  }

  private static double dot(HashedText.Row row, double[] w) {
    double sum = 0;
    int[] index = row.index();
    double[] value = row.value();
    for (int k = 0; k < index.length; k++) {
      sum += value[k] * w[index[k]];
    }
    return sum;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
