package dev.spillway.drift.schedule;

import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.api.SampleInput;
import dev.spillway.drift.ingest.SampleIngestor;
import dev.spillway.drift.metrics.DriftMetrics;
import dev.spillway.events.EventTypes;
import dev.spillway.events.QuerySampledEvent;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;

/**
 * Consumes {@code dev.spillway.query.sampled} (the gateway's sampled queries) into the sample
 * windows, idempotently by event id.
 *
 * <p>Served by Funqy's Knative Events binding: a CloudEvent whose type is {@code
 * dev.spillway.query.sampled} POSTed to {@code /}, or the plain event JSON POSTed to {@code
 * /query-sampled} (then {@code request_id} is the idempotency key). Invalid data is refused with a
 * 400 so that a broker does not redeliver it. A tenant the drift function does not serve is
 * acknowledged and counted ({@code outcome="unknown_tenant"}), not refused: sampling is switched on
 * in the gateway, scoring here, and a broker would otherwise redeliver every such event.
 */
public class QuerySampledFunction {

  private final SampleIngestor ingestor;
  private final DriftMetrics metrics;

  public QuerySampledFunction(SampleIngestor ingestor, DriftMetrics metrics) {
    this.ingestor = ingestor;
    this.metrics = metrics;
  }

  @Funq("query-sampled")
  @CloudEventMapping(trigger = EventTypes.QUERY_SAMPLED)
  public Uni<Void> querySampled(QuerySampledEvent event, @Context CloudEvent<?> cloudEvent) {
    if (event == null || event.text() == null || event.text().isBlank()) {
      metrics.samples("event", "refused", 1);
      return Uni.createFrom().failure(DriftException.invalid("The event has no 'text'."));
    }
    String id = cloudEvent != null && cloudEvent.id() != null ? cloudEvent.id() : event.requestId();
    if (id == null || id.isBlank() || id.length() > 200) {
      metrics.samples("event", "refused", 1);
      return Uni.createFrom()
          .failure(DriftException.invalid("The event has no id (ce-id, or request_id)."));
    }
    Instant at =
        cloudEvent != null && cloudEvent.time() != null
            ? cloudEvent.time().toInstant()
            : Instant.now();
    String feature =
        event.feature() == null || event.feature().isBlank() ? "default" : event.feature();
    Uni<Void> ingest;
    try {
      ingest =
          ingestor
              .ingest(event.tenant(), feature, List.of(new SampleInput(event.text(), null)), at, id)
              .invoke(
                  done ->
                      metrics.samples("event", done.accepted() == 0 ? "duplicate" : "accepted", 1))
              .replaceWithVoid();
    } catch (DriftException e) {
      metrics.samples("event", "refused", 1);
      return Uni.createFrom().failure(e);
    }
    return ingest
        .onFailure(DriftException.class)
        .recoverWithUni(
            failure -> {
              DriftException drift = (DriftException) failure;
              if (drift.error() == dev.spillway.drift.api.DriftError.NOT_FOUND) {
                metrics.samples("event", "unknown_tenant", 1);
                Log.debugf("query sample for an unknown tenant dropped: %s", drift.getMessage());
                return Uni.createFrom().voidItem();
              }
              metrics.samples("event", "refused", 1);
              return Uni.createFrom().failure(drift);
            });
  }
}
