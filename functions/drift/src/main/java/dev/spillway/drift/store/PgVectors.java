package dev.spillway.drift.store;

/**
 * pgvector's text form ({@code [1.0,2.5,…]}), which the reactive client sends as text and the
 * statements cast to {@code vector}; vectors are read back cast to {@code real[]}.
 */
final class PgVectors {

  private PgVectors() {}

  static String format(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 11 + 2).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(vector[i]);
    }
    return text.append(']').toString();
  }

  static float[] unbox(Float[] boxed) {
    float[] vector = new float[boxed.length];
    for (int i = 0; i < boxed.length; i++) {
      vector[i] = boxed[i];
    }
    return vector;
  }
}
