package dev.spillway.quota.leasing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The quota function's own meters: lease operations by status, lease call latency, expired leases,
 * usage events by result. Thread-safe.
 */
@Singleton
public class QuotaMetrics {

  private final MeterRegistry registry;
  private final Timer leaseLatency;
  private final Counter expired;
  private final Counter leaseOk;
  private final Counter leaseUnknown;

  public QuotaMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.leaseLatency =
        Timer.builder("spillway.quota.lease.latency")
            .description("Time to answer one POST /leases, all claims together")
            // Buckets, not client-side percentiles: cheap on the hot path, aggregatable in
            // Prometheus.
            .publishPercentileHistogram()
            .register(registry);
    this.leaseOk = leaseOps(registry, "ok");
    this.leaseUnknown = leaseOps(registry, "unknown");
    this.expired =
        Counter.builder("spillway.quota.leases.expired")
            .description("Leases not renewed within their validity, returned to their budget")
            .register(registry);
  }

  /** One claim answered with {@code status} ({@code ok} or {@code unknown}). */
  public void leaseOp(String status) {
    (dev.spillway.quota.lease.LeaseGrant.OK.equals(status) ? leaseOk : leaseUnknown).increment();
  }

  private static Counter leaseOps(MeterRegistry registry, String status) {
    return Counter.builder("spillway.quota.lease.ops")
        .description("Lease claims answered, by grant status")
        .tag("status", status)
        .register(registry);
  }

  public void leaseCall(long nanos) {
    leaseLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void expired(long count) {
    expired.increment(count);
  }

  /** One usage event: {@code counted}, {@code duplicate} or {@code invalid}. */
  public void event(String result) {
    registry.counter("spillway.quota.events", "result", result).increment();
  }
}
