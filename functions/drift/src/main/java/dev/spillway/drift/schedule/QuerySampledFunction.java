package dev.spillway.drift.schedule;

import dev.spillway.events.EventTypes;
import dev.spillway.events.QuerySampledEvent;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;

/**
 * Consumes {@code dev.spillway.query.sampled} over HTTP into the sample windows ({@link
 * QuerySamples}).
 *
 * <p>Served by Funqy's Knative Events binding: a CloudEvent whose type is {@code
 * dev.spillway.query.sampled} POSTed to {@code /}, or the plain event JSON POSTed to {@code
 * /query-sampled} (then {@code request_id} is the idempotency key). Invalid data is refused with a
 * 400 so that a broker does not redeliver it. On Lambda the same events arrive through SQS on the
 * pass-through path {@code /events}.
 */
public class QuerySampledFunction {

  private final QuerySamples samples;

  public QuerySampledFunction(QuerySamples samples) {
    this.samples = samples;
  }

  @Funq("query-sampled")
  @CloudEventMapping(trigger = EventTypes.QUERY_SAMPLED)
  public Uni<Void> querySampled(QuerySampledEvent event, @Context CloudEvent<?> cloudEvent) {
    String id =
        cloudEvent != null && cloudEvent.id() != null
            ? cloudEvent.id()
            : event == null ? null : event.requestId();
    return samples.ingest(
        id,
        cloudEvent != null && cloudEvent.time() != null ? cloudEvent.time().toInstant() : null,
        event);
  }
}
