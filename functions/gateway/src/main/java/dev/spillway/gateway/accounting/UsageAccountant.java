package dev.spillway.gateway.accounting;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEvent;
import dev.spillway.events.CloudEventSender;
import dev.spillway.events.EventTypes;
import dev.spillway.events.UsageRecordedEvent;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatMessage;
import dev.spillway.usage.TokenCounter;
import dev.spillway.usage.TokenUsage;
import io.smallrye.mutiny.Uni;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Settles a finished request: decides its token usage, prices it, records metrics, and emits {@code
 * dev.spillway.usage.recorded}. Sending the event never delays or fails the request (see {@link
 * CloudEventSender}). Thread-safe.
 */
public final class UsageAccountant {

  /** Up to this many characters are counted on the calling (event-loop) thread: ~0.1 ms. */
  public static final int INLINE_COUNT_MAX_CHARS = 16 * 1024;

  private final TokenCounter tokens;
  private final Function<Supplier<TokenUsage>, Uni<TokenUsage>> blocking;
  private final GatewayMetrics metrics;
  private final Optional<CloudEventSender> events;
  private final String eventSource;
  private final ObjectMapper mapper;

  /**
   * @param blocking runs a supplier off the event loop and delivers its result back on the caller's
   *     context (Vert.x {@code executeBlocking})
   */
  public UsageAccountant(
      TokenCounter tokens,
      Function<Supplier<TokenUsage>, Uni<TokenUsage>> blocking,
      GatewayMetrics metrics,
      Optional<CloudEventSender> events,
      String eventSource,
      ObjectMapper mapper) {
    this.tokens = tokens;
    this.blocking = blocking;
    this.metrics = metrics;
    this.events = events;
    this.eventSource = eventSource;
    this.mapper = mapper;
  }

  /**
   * The upstream's usage when it reported one; otherwise the gateway counts the prompt and the
   * output text it relayed with the real tokenizer. Small texts are counted at once (microseconds);
   * texts over {@link #INLINE_COUNT_MAX_CHARS} go to a worker thread, because tokenizing a
   * multi-megabyte prompt would hold the event loop for a noticeable time.
   *
   * @return the usage; the item arrives on the caller's context
   */
  public Uni<TokenUsage> usage(
      TokenUsage reported, ChatCompletionRequest request, String upstreamModel, String outputText) {
    if (reported != null) {
      return Uni.createFrom().item(reported);
    }
    long chars = outputText.length();
    for (ChatMessage message : request.messages()) {
      chars += message.text().length();
    }
    Supplier<TokenUsage> count =
        () ->
            new TokenUsage(
                tokens.countPrompt(upstreamModel, request.messages()),
                tokens.countText(upstreamModel, outputText),
                true);
    // On a worker while the encodings are still loading, so the event loop never waits for them.
    return chars <= INLINE_COUNT_MAX_CHARS && tokens.isWarm()
        ? Uni.createFrom().item(count.get())
        : blocking.apply(count);
  }

  /** Records metrics and emits the usage event. */
  public void settle(RequestRecord record) {
    BigDecimal cost = record.cost();
    metrics.record(record, cost.doubleValue());
    events.ifPresent(sender -> sender.send(event(record, cost)));
  }

  private CloudEvent event(RequestRecord record, BigDecimal cost) {
    TokenUsage usage = record.usage();
    UsageRecordedEvent data =
        new UsageRecordedEvent(
            record.requestId(),
            record.caller().tenant(),
            record.caller().feature(),
            record.route(),
            record.target() == null ? null : record.target().provider().name(),
            record.target() == null ? null : record.target().model(),
            usage == null ? 0 : usage.promptTokens(),
            usage == null ? 0 : usage.completionTokens(),
            usage != null && usage.counted(),
            cost,
            record.ttftNanos() < 0 ? null : record.ttftNanos() / 1_000_000.0,
            record.durationNanos() / 1_000_000.0,
            record.outcome().label(),
            record.stream(),
            record.attempts(),
            record.routing() == null ? null : record.routing().category(),
            record.routing() == null ? null : record.routing().reason(),
            record.strongestCost());
    return CloudEvent.of(
        eventSource, EventTypes.USAGE_RECORDED, record.caller().tenant(), mapper.valueToTree(data));
  }
}
