package dev.spillway.embedding.onnx;

/**
 * Pure functions that turn a model's token vectors into one sentence vector. The hidden state is
 * one flat row-major {@code [batch, sequence, dimensions]} array, as ONNX Runtime returns it.
 */
public final class Pooling {

  private Pooling() {}

  /**
   * The mean of the token vectors of row {@code row} whose attention mask is 1. Padding positions
   * (mask 0) never contribute, so a text pooled alone or inside a padded batch gives the same
   * vector.
   *
   * @param hidden {@code [batch * sequence * dimensions]}
   * @param mask {@code [batch * sequence]} attention mask (1 for real tokens, 0 for padding)
   */
  public static float[] maskedMean(
      float[] hidden, long[] mask, int row, int sequence, int dimensions) {
    float[] sum = new float[dimensions];
    int count = 0;
    int base = row * sequence * dimensions;
    for (int t = 0; t < sequence; t++) {
      if (mask[row * sequence + t] == 0) {
        continue;
      }
      count++;
      int offset = base + t * dimensions;
      for (int d = 0; d < dimensions; d++) {
        sum[d] += hidden[offset + d];
      }
    }
    // sentence-transformers clamps the token count at 1e-9; a row has at least [CLS] and [SEP].
    float divisor = Math.max(count, 1);
    for (int d = 0; d < dimensions; d++) {
      sum[d] /= divisor;
    }
    return sum;
  }

  /** The first token's vector of row {@code row} ({@code [CLS]} pooling). */
  public static float[] first(float[] hidden, int row, int sequence, int dimensions) {
    float[] out = new float[dimensions];
    System.arraycopy(hidden, row * sequence * dimensions, out, 0, dimensions);
    return out;
  }

  /** Scales {@code vector} in place to unit L2 length (a zero vector stays zero); returns it. */
  public static float[] l2Normalize(float[] vector) {
    double squares = 0;
    for (float v : vector) {
      squares += (double) v * v;
    }
    double norm = Math.sqrt(squares);
    // sentence-transformers' Normalize layer divides by max(norm, 1e-12).
    float scale = (float) (1.0 / Math.max(norm, 1e-12));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  /** The cosine similarity of two vectors of equal length. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-12);
  }
}
