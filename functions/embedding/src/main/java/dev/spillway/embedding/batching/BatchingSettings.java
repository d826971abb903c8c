package dev.spillway.embedding.batching;

import java.time.Duration;

/**
 * How a {@link DynamicBatcher} forms batches.
 *
 * @param maxBatchTokens the most padded tokens ({@code sequences * longest}) in one model run;
 *     bounds the activation memory of a run and so the arena's size
 * @param maxBatchSize the most inputs in one model run
 * @param maxWait how long a batcher serving concurrent callers holds a batch open for more inputs;
 *     otherwise a request runs at once
 * @param maxQueuedTokens the most tokens waiting; a request that would exceed it is refused at once
 *     (a request always enters an empty queue, so the largest allowed request is always served)
 */
public record BatchingSettings(
    int maxBatchTokens, int maxBatchSize, Duration maxWait, long maxQueuedTokens) {}
