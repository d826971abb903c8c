package dev.spillway.embedding.batching;

/**
 * What a {@link DynamicBatcher} reports, for metrics. Called from the batching thread; an
 * implementation must be quick and thread-safe.
 */
public interface BatchListener {

  /**
   * One batch ran.
   *
   * @param sequences inputs in the batch
   * @param requests distinct requests whose inputs the batch held (more than 1 when concurrent
   *     requests shared it)
   * @param realTokens tokens of the inputs themselves
   * @param paddedTokens {@code sequences * longest}: what the model computed, padding included
   * @param nanos how long the model took
   */
  void batch(int sequences, int requests, int realTokens, int paddedTokens, long nanos);

  /** A request of {@code inputs} inputs was refused because the queue was full. */
  void rejected(int inputs);

  /** Ignores everything. */
  BatchListener NONE =
      new BatchListener() {
        @Override
        public void batch(
            int sequences, int requests, int realTokens, int paddedTokens, long nanos) {}

        @Override
        public void rejected(int inputs) {}
      };
}
