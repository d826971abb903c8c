package dev.spillway.drift.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.drift.config.DriftConfig;
import dev.spillway.drift.metrics.DriftMetrics;
import dev.spillway.drift.report.DriftReport;
import dev.spillway.events.CloudEvent;
import dev.spillway.events.CloudEventSender;
import dev.spillway.events.EventTypes;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Raises {@code dev.spillway.drift.detected} when a feature's verdict flips (to {@code drift}, or
 * back to {@code no_drift}): a CloudEvent whose data is the whole report, the evidence included
 * (scores, emerging terms, coverage), sent to {@code drift.events-sink} ({@code K_SINK}) off the
 * request path. Without a sink the flip is only logged and counted. Thread-safe.
 */
@Singleton
public class DriftAlerts {

  static final String SOURCE = "/spillway/drift";

  private final CloudEventSender sender;
  private final ObjectMapper mapper;
  private final DriftMetrics metrics;

  public DriftAlerts(DriftConfig config, Vertx vertx, ObjectMapper mapper, DriftMetrics metrics) {
    this.mapper = mapper;
    this.metrics = metrics;
    this.sender =
        config
            .eventsSink()
            .map(sink -> CloudEventSender.forSink(vertx, sink, mapper, 64, 5_000))
            .orElse(null);
  }

  /** Raises the alert for a report whose verdict flipped; nothing for any other report. */
  public void flipped(DriftReport report) {
    if (!report.flipped()) {
      return;
    }
    metrics.alert(report.verdict());
    Log.infof(
        "drift verdict of %s/%s flipped from %s to %s (report %d): %s",
        report.tenant(),
        report.feature(),
        report.previousVerdict(),
        report.verdict(),
        report.id(),
        report.reason());
    if (sender != null) {
      sender.send(
          CloudEvent.of(
              SOURCE,
              EventTypes.DRIFT_DETECTED,
              report.tenant() + "/" + report.feature(),
              mapper.valueToTree(report)));
    }
  }

  @PreDestroy
  void close() {
    if (sender != null) {
      sender.close();
    }
  }
}
