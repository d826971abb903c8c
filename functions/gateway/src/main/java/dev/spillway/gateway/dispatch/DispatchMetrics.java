package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.accounting.GatewayMetrics;
import dev.spillway.gateway.routing.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
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
  private final boolean tenantLabel;
  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

  /**
   * @param tenantLabel whether counters about the client's own constraints carry the tenant; off
   *     for deployments with many tenants, where it would grow a series per tenant
   */
  public DispatchMetrics(MeterRegistry registry, boolean tenantLabel) {
    this.registry = registry;
    this.tenantLabel = tenantLabel;
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

  /**
   * An answer that failed the client's own constraints, by tenant (or "all" when the tenant label
   * is off) and the request field to blame.
   */
  void constrained(String route, String tenant, String constraint) {
    count(
        "spillway.validation.client_constrained",
        "Answers that could not meet the client's own constraints (schema, stop, max_tokens);"
            + " never held against a provider",
        "route",
        route,
        "tenant",
        tenantLabel ? tenant : GatewayMetrics.ALL_TENANTS,
        "constraint",
        constraint);
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

  /**
   * A counter's identity: its name and label values. Compared by content without joining them into
   * a string, since counting happens on every attempt; every string here has its hash cached.
   */
  private record Key(String name, String[] tags) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && name.equals(key.name) && Arrays.equals(tags, key.tags);
    }

    @Override
    public int hashCode() {
      return 31 * name.hashCode() + Arrays.hashCode(tags);
    }
  }

  private void count(String name, String description, String... tags) {
    counters
        .computeIfAbsent(
            new Key(name, tags),
            key -> Counter.builder(name).description(description).tags(key.tags).register(registry))
        .increment();
  }
}
