package dev.spillway.drift.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.drift.api.DriftError;
import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.api.SampleInput;
import dev.spillway.drift.ingest.SampleIngestor;
import dev.spillway.drift.metrics.DriftMetrics;
import dev.spillway.events.EventTypes;
import dev.spillway.events.QuerySampledEvent;
import dev.spillway.lambda.events.EventConsumer;
import dev.spillway.lambda.events.IncomingEvent;
import dev.spillway.lambda.events.InvalidEventException;
import dev.spillway.problems.JsonProblems;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Takes {@code dev.spillway.query.sampled} (the gateway's sampled queries) into the sample windows,
 * idempotently by event id, however it arrived: a CloudEvent through Funqy ({@link
 * QuerySampledFunction}) or an SQS record on the Lambda pass-through path. Invalid data fails with
 * {@link InvalidEventException} so that a broker does not redeliver it. A tenant the drift function
 * does not serve is acknowledged and counted ({@code outcome="unknown_tenant"}), not refused:
 * sampling is switched on in the gateway, scoring here, and a broker would otherwise redeliver
 * every such event. Thread-safe.
 */
@Singleton
public class QuerySamples implements EventConsumer {

  private final SampleIngestor ingestor;
  private final DriftMetrics metrics;
  private final ObjectMapper mapper;

  public QuerySamples(SampleIngestor ingestor, DriftMetrics metrics, ObjectMapper mapper) {
    this.ingestor = ingestor;
    this.metrics = metrics;
    this.mapper = mapper;
  }

  @Override
  public Set<String> types() {
    return Set.of(EventTypes.QUERY_SAMPLED);
  }

  @Override
  public Uni<Void> consume(IncomingEvent event) {
    QuerySampledEvent data;
    try {
      data = mapper.treeToValue(event.data(), QuerySampledEvent.class);
    } catch (JsonProcessingException e) {
      return refuse("The event's data is not a sampled query: " + JsonProblems.describe(e));
    }
    return ingest(event.id(), event.time() == null ? null : event.time().toInstant(), data);
  }

  /**
   * Adds one sampled query.
   *
   * @param id the idempotency key (the event id, or the gateway's request id for plain JSON)
   * @param at when it was sampled, or null for now
   */
  public Uni<Void> ingest(String id, Instant at, QuerySampledEvent event) {
    if (event == null || event.text() == null || event.text().isBlank()) {
      return refuse("The event has no 'text'.");
    }
    if (id == null || id.isBlank() || id.length() > 200) {
      return refuse("The event has no id (ce-id, or request_id).");
    }
    String feature =
        event.feature() == null || event.feature().isBlank() ? "default" : event.feature();
    Uni<Void> ingest;
    try {
      ingest =
          ingestor
              .ingest(
                  event.tenant(),
                  feature,
                  List.of(new SampleInput(event.text(), null)),
                  at == null ? Instant.now() : at,
                  id)
              .invoke(
                  done ->
                      metrics.samples("event", done.accepted() == 0 ? "duplicate" : "accepted", 1))
              .replaceWithVoid();
    } catch (DriftException e) {
      return refused(e);
    }
    return ingest.onFailure(DriftException.class).recoverWithUni(e -> refused((DriftException) e));
  }

  private Uni<Void> refused(DriftException drift) {
    if (drift.error() == DriftError.NOT_FOUND) {
      metrics.samples("event", "unknown_tenant", 1);
      Log.debugf("query sample for an unknown tenant dropped: %s", drift.getMessage());
      return Uni.createFrom().voidItem();
    }
    if (drift.error().status() >= 500) {
      // The embedding function or the database is down: a later delivery may succeed.
      metrics.samples("event", "failed", 1);
      return Uni.createFrom().failure(drift);
    }
    return refuse(drift.getMessage());
  }

  private Uni<Void> refuse(String problem) {
    metrics.samples("event", "refused", 1);
    return Uni.createFrom().failure(new InvalidEventException(problem));
  }
}
