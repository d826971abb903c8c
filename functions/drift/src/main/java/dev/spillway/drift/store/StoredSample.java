package dev.spillway.drift.store;

/**
 * A sample on its way into storage: its vector, in pgvector's text form too (made once, on a worker
 * thread, by whoever builds it: formatting thousands of floats must not hold an event loop), and,
 * when the tenant keeps texts, its text.
 *
 * @param vector the embedding, of the configured dimension
 * @param text the query text, or null when not kept
 * @param pgVector {@code vector} as pgvector's text input
 */
public record StoredSample(float[] vector, String text, String pgVector) {

  public static StoredSample of(float[] vector, String text) {
    return new StoredSample(vector, text, PgVectors.format(vector));
  }
}
