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

  public QuotaMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.leaseLatency =
        Timer.builder("spillway.quota.lease.latency")
            .description("Time to answer one POST /leases, all claims together")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.expired =
        Counter.builder("spillway.quota.leases.expired")
            .description("Leases not renewed within their validity, returned to their budget")
            .register(registry);
  }

  /** One claim answered with {@code status} ({@code ok} or {@code unknown}). */
  public void leaseOp(String status) {
    registry.counter("spillway.quota.lease.ops", "status", status).increment();
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
