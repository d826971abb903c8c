package dev.spillway.embedding.batching;

import java.time.Duration;

/**
 * How a {@link DynamicBatcher} forms batches.
 *
 * @param maxBatchTokens the most padded tokens ({@code sequences * longest}) in one model run;
 *     bounds the activation memory of a run and so the arena's size
 * @param maxBatchSize the most inputs in one model run
 * @param maxWait how long a busy batcher holds a batch open for more inputs; an idle one runs a
 *     lone request at once
 * @param maxQueuedTokens the most tokens waiting; a request that would exceed it is refused at once
 *     (a request always enters an empty queue, so the largest allowed request is always served)
 */
public record BatchingSettings(
    int maxBatchTokens, int maxBatchSize, Duration maxWait, long maxQueuedTokens) {}
