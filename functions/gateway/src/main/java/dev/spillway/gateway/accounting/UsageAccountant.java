package dev.spillway.gateway.accounting;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEvent;
import dev.spillway.events.CloudEventSender;
import dev.spillway.events.EventTypes;
import dev.spillway.events.UsageRecordedEvent;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenCounter;
import dev.spillway.usage.TokenUsage;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Settles a finished request: decides its token usage, prices it, records metrics, and emits {@code
 * dev.spillway.usage.recorded}. Sending the event never delays or fails the request (see {@link
 * CloudEventSender}). Thread-safe.
 */
public final class UsageAccountant {

  private final TokenCounter tokens;
  private final GatewayMetrics metrics;
  private final Optional<CloudEventSender> events;
  private final String eventSource;
  private final ObjectMapper mapper;

  public UsageAccountant(
      TokenCounter tokens,
      GatewayMetrics metrics,
      Optional<CloudEventSender> events,
      String eventSource,
      ObjectMapper mapper) {
    this.tokens = tokens;
    this.metrics = metrics;
    this.events = events;
    this.eventSource = eventSource;
    this.mapper = mapper;
  }

  /**
   * The upstream's usage when it reported one; otherwise the gateway counts the prompt and the
   * output text it relayed with the real tokenizer.
   */
  public TokenUsage usage(
      TokenUsage reported, ChatCompletionRequest request, String upstreamModel, String outputText) {
    if (reported != null) {
      return reported;
    }
    return new TokenUsage(
        tokens.countPrompt(upstreamModel, request.messages()),
        tokens.countText(upstreamModel, outputText),
        true);
  }

  /** The cost of the request's usage at its target's price; zero when nothing was served. */
  public BigDecimal cost(RequestRecord record) {
    if (record.usage() == null || record.target() == null) {
      return BigDecimal.ZERO.setScale(Price.COST_SCALE);
    }
    return record.target().price().cost(record.usage());
  }

  /** Records metrics and emits the usage event. */
  public void settle(RequestRecord record) {
    BigDecimal cost = cost(record);
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
            record.attempts());
    return CloudEvent.of(
        eventSource, EventTypes.USAGE_RECORDED, record.caller().tenant(), mapper.valueToTree(data));
  }
}
