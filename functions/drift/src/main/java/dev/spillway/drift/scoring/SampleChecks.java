package dev.spillway.drift.scoring;

/**
 * The input checks shared by the scores of this package, so that every score rejects the same bad
 * input with the same message naming the argument and the row. Stateless and thread-safe.
 */
final class SampleChecks {

  private SampleChecks() {}

  /**
   * Checks that {@code sample} is a matrix of finite values with at least {@code minRows} rows, all
   * of one positive length.
   *
   * @return the number of columns (the embedding dimension)
   * @throws IllegalArgumentException naming {@code name} when it is not
   */
  static int requireMatrix(String name, float[][] sample, int minRows) {
    if (sample == null) {
      throw new IllegalArgumentException(name + " is missing");
    }
    if (sample.length < minRows) {
      throw new IllegalArgumentException(
          name + " has " + sample.length + " rows; at least " + minRows + " are needed");
    }
    int dimension = -1;
    for (int i = 0; i < sample.length; i++) {
      float[] row = sample[i];
      if (row == null || row.length == 0) {
        throw new IllegalArgumentException(name + " row " + i + " is empty");
      }
      if (dimension < 0) {
        dimension = row.length;
      } else if (row.length != dimension) {
        throw new IllegalArgumentException(
            name + " row " + i + " has dimension " + row.length + ", row 0 has " + dimension);
      }
      for (float value : row) {
        if (!Float.isFinite(value)) {
          throw new IllegalArgumentException(name + " row " + i + " holds a non-finite value");
        }
      }
    }
    return dimension;
  }

  /**
   * Checks both samples and that they share one dimension.
   *
   * @return the common dimension
   * @throws IllegalArgumentException naming the sample at fault
   */
  static int requireComparable(float[][] reference, float[][] current, int minRows) {
    int referenceDimension = requireMatrix("reference", reference, minRows);
    int currentDimension = requireMatrix("current", current, minRows);
    if (referenceDimension != currentDimension) {
      throw new IllegalArgumentException(
          "reference has dimension "
              + referenceDimension
              + " but current has dimension "
              + currentDimension);
    }
    return referenceDimension;
  }

  /**
   * Checks that {@code values} holds at least one value and only finite ones.
   *
   * @throws IllegalArgumentException naming {@code name} when it does not
   */
  static void requireFinite(String name, double[] values) {
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException(name + " is empty");
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] is not a finite number");
      }
    }
  }

  /** The rows of {@code first} followed by those of {@code second}; the rows are not copied. */
  static float[][] pool(float[][] first, float[][] second) {
    float[][] pooled = new float[first.length + second.length][];
    System.arraycopy(first, 0, pooled, 0, first.length);
    System.arraycopy(second, 0, pooled, first.length, second.length);
    return pooled;
  }
}
