package dev.spillway.embedding.classify;

import java.util.List;
import java.util.Map;

/**
 * Multinomial logistic regression trained by full-batch gradient descent (with Nesterov momentum)
 * on cross-entropy plus an L2 penalty. Plain Java: a 384-dimensional embedding and a handful of
 * labels train in seconds on thousands of examples. Stateless.
 */
public final class LogisticRegression {

  /**
   * How to train.
   *
   * @param epochs full passes of gradient descent
   * @param learningRate the step size
   * @param l2 the L2 penalty on the weights (not the bias)
   */
  public record Settings(int epochs, double learningRate, double l2) {
    public static final Settings DEFAULT = new Settings(400, 2.0, 1e-4);
  }

  private LogisticRegression() {}

  /**
   * Fits a head.
   *
   * @param x the examples' embeddings, all of one length
   * @param y each example's label index into {@code labels}
   */
  public static ClassifierHead train(
      String embeddingModel,
      List<String> labels,
      float[][] x,
      int[] y,
      Settings settings,
      Map<String, Object> about) {
    int n = x.length;
    int k = labels.size();
    int d = x[0].length;
    double[][] w = new double[k][d];
    double[] b = new double[k];
    double[][] vw = new double[k][d];
    double[] vb = new double[k];
    double momentum = 0.9;
    double[][] gw = new double[k][d];
    double[] gb = new double[k];
    double[][] lookW = new double[k][d];
    double[] lookB = new double[k];
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          lookW[c][j] = w[c][j] + momentum * vw[c][j];
          gw[c][j] = settings.l2() * lookW[c][j];
        }
        lookB[c] = b[c] + momentum * vb[c];
        gb[c] = 0;
      }
      double[] logits = new double[k];
      for (int i = 0; i < n; i++) {
        float[] xi = x[i];
        for (int c = 0; c < k; c++) {
          double z = lookB[c];
          double[] row = lookW[c];
          for (int j = 0; j < d; j++) {
            z += row[j] * xi[j];
          }
          logits[c] = z;
        }
        double[] p = softmax(logits);
        for (int c = 0; c < k; c++) {
          double err = (p[c] - (y[i] == c ? 1 : 0)) / n;
          gb[c] += err;
          double[] grow = gw[c];
          for (int j = 0; j < d; j++) {
            grow[j] += err * xi[j];
          }
        }
      }
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          vw[c][j] = momentum * vw[c][j] - settings.learningRate() * gw[c][j];
          w[c][j] += vw[c][j];
        }
        vb[c] = momentum * vb[c] - settings.learningRate() * gb[c];
        b[c] += vb[c];
      }
    }
    float[][] weights = new float[k][d];
    float[] bias = new float[k];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        weights[c][j] = (float) w[c][j];
      }
      bias[c] = (float) b[c];
    }
    return new ClassifierHead(
        ClassifierHead.FORMAT, embeddingModel, List.copyOf(labels), weights, bias, about);
  }

  /** A numerically stable softmax. */
  public static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double z : logits) {
      max = Math.max(max, z);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** The index of the largest value. */
  public static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
