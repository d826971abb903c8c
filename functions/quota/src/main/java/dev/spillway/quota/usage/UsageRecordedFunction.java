package dev.spillway.quota.usage;

import dev.spillway.events.EventTypes;
import dev.spillway.events.UsageRecordedEvent;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.smallrye.mutiny.Uni;

/**
 * Consumes {@code dev.spillway.usage.recorded} over HTTP into the usage ledger ({@link
 * UsageEvents}).
 *
 * <p>Served by Funqy's Knative Events binding: a CloudEvent (binary or structured) whose type is
 * {@code dev.spillway.usage.recorded} POSTed to {@code /}, or the plain event JSON POSTed to {@code
 * /usage-recorded} (then the gateway's {@code request_id} is the idempotency key). Invalid data is
 * refused with a 4xx, so that a broker does not redeliver it forever. On Lambda the same events
 * arrive through SQS on the pass-through path {@code /events}.
 */
public class UsageRecordedFunction {

  private final UsageEvents events;

  public UsageRecordedFunction(UsageEvents events) {
    this.events = events;
  }

  @Funq("usage-recorded")
  @CloudEventMapping(trigger = EventTypes.USAGE_RECORDED)
  public Uni<Void> usageRecorded(UsageRecordedEvent event, @Context CloudEvent<?> cloudEvent) {
    String id =
        cloudEvent != null && cloudEvent.id() != null
            ? cloudEvent.id()
            : event == null ? null : event.requestId();
    return events.record(id, cloudEvent == null ? null : cloudEvent.time(), event);
  }
}
