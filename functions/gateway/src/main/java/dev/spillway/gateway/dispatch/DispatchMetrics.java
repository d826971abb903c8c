package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.routing.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What resilience did, as counters: attempts by kind, failures by reason, hedges won, retry-budget
 * refusals, validation failures, mid-stream recoveries, deadlines exceeded. Every label comes from
 * configuration or a fixed vocabulary, so cardinality stays bounded. Counters are cached by their
 * label values. Thread-safe.
 */
public final class DispatchMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public DispatchMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void attempt(Target target, Attempt.Kind kind) {
    count(
        "spillway.upstream.attempts",
        "Upstream requests sent, by why: first, retry, hedge, recovery",
        "provider",
        target.provider().name(),
        "model",
        target.model(),
        "kind",
        kind.label());
  }

  void failure(Target target, String reason) {
    count(
        "spillway.upstream.failures",
        "Upstream attempts that failed, by reason (timeout, server_error, invalid_response…)",
        "provider",
        target.provider().name(),
        "model",
        target.model(),
        "reason",
        reason);
  }

  void hedgeWon(Target target) {
    count(
        "spillway.hedges.won",
        "Hedged attempts that answered first",
        "provider",
        target.provider().name(),
        "model",
        target.model());
  }

  void budgetRefused(String provider, String purpose) {
    count(
        "spillway.retry.budget.refused",
        "Retries and hedges not sent because the provider's retry budget was spent",
        "provider",
        provider,
        "purpose",
        purpose);
  }

  void rejected(String provider, String reason) {
    count(
        "spillway.admission.rejected",
        "Attempts refused by the provider's admission control, by reason",
        "provider",
        provider,
        "reason",
        reason);
  }

  void validationFailed(String route, String rule) {
    count(
        "spillway.validation.failures",
        "Upstream answers that failed validation (200 OK but garbage), by rule",
        "route",
        route,
        "rule",
        rule);
  }

  void recovery(String route, String result) {
    count(
        "spillway.stream.recoveries",
        "Streams broken after output, by result: recovered, failed, not_attempted",
        "route",
        route,
        "result",
        result);
  }

  void deadlineExceeded(String route) {
    count("spillway.deadline.exceeded", "Requests ended by their deadline", "route", route);
  }

  private void count(String name, String description, String... tags) {
    String key = name + '|' + String.join("|", tags);
    counters
        .computeIfAbsent(
            key,
            ignored -> Counter.builder(name).description(description).tags(tags).register(registry))
        .increment();
  }
}
