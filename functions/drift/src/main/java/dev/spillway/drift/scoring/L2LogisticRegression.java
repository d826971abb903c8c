package dev.spillway.drift.scoring;

import java.util.Arrays;

/**
 * Binary logistic regression with an L2 penalty on the weights (not on the bias), fitted by
 * Nesterov's accelerated full-batch gradient descent with a fixed number of iterations.
 *
 * <p>Objective: {@code (1/n) Σ log(1 + exp(-ỹ_i (w·x_i + b))) + (λ/2)|w|²}. It is smooth with
 * constant {@code L ≤ max_i(|x_i|² + 1)/4 + λ} and {@code λ}-strongly convex in {@code w}, so a
 * step of {@code 1/L} with the constant momentum {@code (√κ - 1)/(√κ + 1)}, {@code κ = L/λ},
 * converges linearly without a line search; the bound on {@code L} needs no eigenvalue computation.
 * Why not Newton: the Hessian is {@code d × d} and costs {@code n·d²} per step; a gradient step
 * costs {@code 2·n·d}, and a few hundred of them reach a solution as good as the data allow for the
 * penalties used here.
 *
 * <p>Layout for speed: the margins {@code X w} are computed column by column over a transposed copy
 * of the training rows and the gradient {@code Xᵀ r} row by row, so both inner loops are {@code
 * c[j] += a * b[j]}, which the JIT vectorises; both run in float, whose rounding is far below what
 * matters to a classifier. Deterministic. Stateless and thread-safe.
 */
final class L2LogisticRegression {

  private L2LogisticRegression() {}

  /**
   * Fits the model on the rows {@code rows[train[t]]}.
   *
   * @param rows the rows (all of one dimension, finite; not checked here)
   * @param positive the label of every row of {@code rows}
   * @param train the indices of the training rows
   * @param l2 the penalty {@code λ}, positive
   * @param iterations gradient steps
   * @return the weights followed by the bias (length {@code dimension + 1})
   */
  static double[] fit(float[][] rows, boolean[] positive, int[] train, double l2, int iterations) {
    int n = train.length;
    int d = rows[0].length;
    float[][] columns = new float[d][n];
    float[] labels = new float[n];
    double maxSquaredNorm = 0;
    for (int t = 0; t < n; t++) {
      float[] row = rows[train[t]];
      double squaredNorm = 0;
      for (int k = 0; k < d; k++) {
        columns[k][t] = row[k];
        squaredNorm += (double) row[k] * row[k];
      }
      maxSquaredNorm = Math.max(maxSquaredNorm, squaredNorm);
      labels[t] = positive[train[t]] ? 1f : 0f;
    }
    double lipschitz = (maxSquaredNorm + 1) / 4 + l2;
    double step = 1 / lipschitz;
    double rootKappa = Math.sqrt(lipschitz / l2);
    double momentum = (rootKappa - 1) / (rootKappa + 1);

    float[] w = new float[d];
    float[] previousW = new float[d];
    float[] lookahead = new float[d];
    double b = 0;
    double previousB = 0;
    float[] margins = new float[n];
    float[] residuals = new float[n];
    float[] gradient = new float[d];
    for (int iteration = 0; iteration < iterations; iteration++) {
      for (int k = 0; k < d; k++) {
        lookahead[k] = (float) (w[k] + momentum * (w[k] - previousW[k]));
      }
      double lookaheadB = b + momentum * (b - previousB);

      margins(columns, lookahead, (float) lookaheadB, margins);
      double residualSum = 0;
      for (int t = 0; t < n; t++) {
        // d/dz of log(1 + e^{-ỹz}) is sigmoid(z) - y for y in {0, 1}.
        float residual = (float) (sigmoid(margins[t]) - labels[t]);
        residuals[t] = residual;
        residualSum += residual;
      }
      weightedRowSum(rows, train, residuals, gradient);

      System.arraycopy(w, 0, previousW, 0, d);
      previousB = b;
      double inverseN = 1.0 / n;
      for (int k = 0; k < d; k++) {
        double g = gradient[k] * inverseN + l2 * lookahead[k];
        w[k] = (float) (lookahead[k] - step * g);
      }
      b = lookaheadB - step * residualSum * inverseN;
    }
    double[] model = new double[d + 1];
    for (int k = 0; k < d; k++) {
      model[k] = w[k];
    }
    model[d] = b;
    return model;
  }

  /** {@code margins = bias + Σ_k weights[k] · columns[k]}: one vectorisable pass per column. */
  private static void margins(float[][] columns, float[] weights, float bias, float[] margins) {
    Arrays.fill(margins, bias);
    for (int k = 0; k < columns.length; k++) {
      float weight = weights[k];
      float[] column = columns[k];
      for (int t = 0; t < margins.length; t++) {
        margins[t] += weight * column[t];
      }
    }
  }

  /** {@code sum = Σ_t coefficients[t] · rows[train[t]]}: one vectorisable pass per row. */
  private static void weightedRowSum(
      float[][] rows, int[] train, float[] coefficients, float[] sum) {
    Arrays.fill(sum, 0f);
    for (int t = 0; t < train.length; t++) {
      float coefficient = coefficients[t];
      float[] row = rows[train[t]];
      for (int k = 0; k < sum.length; k++) {
        sum[k] += coefficient * row[k];
      }
    }
  }

  /** The margin {@code w·x + b} of one row under a model from {@link #fit}. */
  static double score(double[] model, float[] row) {
    double margin = model[row.length];
    for (int k = 0; k < row.length; k++) {
      margin += model[k] * row[k];
    }
    return margin;
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
