package dev.spillway.drift.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The drift function's metrics: {@code spillway_drift_samples_total{source,outcome}}, {@code
 * spillway_drift_reports_total{verdict}}, {@code spillway_drift_report_seconds} and {@code
 * spillway_drift_alerts_total{verdict}}. Thread-safe.
 */
@Singleton
public class DriftMetrics {

  private final MeterRegistry registry;
  private final Timer reportTime;

  public DriftMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.reportTime =
        Timer.builder("spillway.drift.report")
            .description("Time to compute and store one drift report")
            .publishPercentiles(0.5, 0.95)
            .register(registry);
  }

  /**
   * Samples offered to a window.
   *
   * @param source {@code http} or {@code event}
   * @param outcome {@code accepted}, {@code duplicate} (a redelivered event) or {@code refused}
   */
  public void samples(String source, String outcome, long count) {
    Counter.builder("spillway.drift.samples")
        .description("Query samples offered to the drift function")
        .tag("source", source)
        .tag("outcome", outcome)
        .register(registry)
        .increment(count);
  }

  /** A report was stored with {@code verdict}. */
  public void report(String verdict, Duration took) {
    Counter.builder("spillway.drift.reports")
        .description("Drift reports computed")
        .tag("verdict", verdict)
        .register(registry)
        .increment();
    reportTime.record(took);
  }

  /** A verdict flipped and an alert was raised. */
  public void alert(String verdict) {
    Counter.builder("spillway.drift.alerts")
        .description("Drift verdict flips (dev.spillway.drift.detected events raised)")
        .tag("verdict", verdict)
        .register(registry)
        .increment();
  }
}
