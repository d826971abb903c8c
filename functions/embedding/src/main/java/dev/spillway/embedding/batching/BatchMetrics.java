package dev.spillway.embedding.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of one model's batcher (tag {@code model}); on Prometheus as {@code
 * embedding_batch_size}, {@code embedding_batch_requests} (distinct requests sharing a batch),
 * {@code embedding_batch_tokens} (real), {@code embedding_batch_padding_ratio} (padding / padded),
 * {@code embedding_tokens_real_total}, {@code embedding_tokens_padding_total}, {@code
 * embedding_batch_seconds} and {@code embedding_requests_rejected_total}. Queue depth gauges are
 * registered beside the batcher. Thread-safe.
 */
public final class BatchMetrics implements BatchListener {

  private final DistributionSummary size;
  private final DistributionSummary requests;
  private final DistributionSummary tokens;
  private final DistributionSummary paddingRatio;
  private final Counter realTokens;
  private final Counter paddingTokens;
  private final Timer duration;
  private final Counter rejected;

  public BatchMetrics(MeterRegistry registry, String model) {
    Tags tags = Tags.of("model", model);
    size =
        DistributionSummary.builder("embedding.batch.size")
            .description("Inputs per model run")
            .tags(tags)
            .register(registry);
    requests =
        DistributionSummary.builder("embedding.batch.requests")
            .description("Distinct requests whose inputs shared a model run")
            .tags(tags)
            .register(registry);
    tokens =
        DistributionSummary.builder("embedding.batch.tokens")
            .description("Real (non-padding) tokens per model run")
            .tags(tags)
            .register(registry);
    paddingRatio =
        DistributionSummary.builder("embedding.batch.padding.ratio")
            .description("Share of a model run's tokens that were padding")
            .tags(tags)
            .register(registry);
    realTokens =
        Counter.builder("embedding.tokens.real")
            .description("Real tokens embedded")
            .tags(tags)
            .register(registry);
    paddingTokens =
        Counter.builder("embedding.tokens.padding")
            .description("Padding tokens computed and thrown away")
            .tags(tags)
            .register(registry);
    duration =
        Timer.builder("embedding.batch")
            .description("Model run time per batch")
            .tags(tags)
            .register(registry);
    rejected =
        Counter.builder("embedding.requests.rejected")
            .description("Requests refused because the model's queue was full")
            .tags(tags)
            .register(registry);
  }

  @Override
  public void batch(int sequences, int requests, int realTokens, int paddedTokens, long nanos) {
    size.record(sequences);
    this.requests.record(requests);
    tokens.record(realTokens);
    paddingRatio.record(
        paddedTokens == 0 ? 0 : (paddedTokens - realTokens) / (double) paddedTokens);
    this.realTokens.increment(realTokens);
    paddingTokens.increment(paddedTokens - realTokens);
    duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void rejected(int inputs) {
    rejected.increment();
  }
}
