package dev.spillway.gateway.quota;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The quota metrics (Prometheus names): {@code
 * spillway_quota_admissions_total{decision,dimension}}, {@code
 * spillway_quota_renewals_total{outcome}}, {@code spillway_quota_renewal_seconds}, {@code
 * spillway_quota_reservations_expired_total} and {@code
 * spillway_quota_unreachable_decisions_total{tier,policy}}. Thread-safe; a null registry records
 * nothing (unit tests).
 */
public class QuotaMetrics {

  private final MeterRegistry registry;
  private final Timer renewal;

  public QuotaMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.renewal =
        registry == null
            ? null
            : Timer.builder("spillway.quota.renewal")
                .description("Duration of successful lease renewal rounds")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
  }

  /** An admission decision; {@code dimension} is the refusing budget's, or {@code all}. */
  public void admission(String decision, String dimension) {
    if (registry != null) {
      registry
          .counter("spillway.quota.admissions", "decision", decision, "dimension", dimension)
          .increment();
    }
  }

  public void renewal(boolean succeeded, long nanos) {
    if (registry != null) {
      registry
          .counter("spillway.quota.renewals", "outcome", succeeded ? "ok" : "failed")
          .increment();
      if (succeeded) {
        renewal.record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  public void reservationExpired() {
    if (registry != null) {
      registry.counter("spillway.quota.reservations.expired").increment();
    }
  }

  public void unreachableDecision(String tier, String policy) {
    if (registry != null) {
      registry
          .counter(
              "spillway.quota.unreachable.decisions",
              "tier",
              tier.toLowerCase(Locale.ROOT),
              "policy",
              policy)
          .increment();
    }
  }
}
