package dev.spillway.embedding.batching;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The answer of {@link DynamicBatcher#submit}: accepted with its future, or refused at once. */
public sealed interface Submission {

  /** Queued: the future completes with one vector per input, in order. */
  record Accepted(CompletableFuture<float[][]> vectors) implements Submission {}

  /**
   * The queue is full: nothing was queued.
   *
   * @param retryAfter when the queue should have drained enough, from the observed throughput
   */
  record Rejected(Duration retryAfter, long queuedTokens) implements Submission {}
}
