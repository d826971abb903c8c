package dev.spillway.quota.usage;

import dev.spillway.events.EventTypes;
import dev.spillway.events.UsageRecordedEvent;
import dev.spillway.quota.ResourceId;
import dev.spillway.quota.leasing.QuotaMetrics;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Consumes {@code dev.spillway.usage.recorded} into the usage ledger, idempotently by event id.
 *
 * <p>Served by Funqy's Knative Events binding: a CloudEvent (binary or structured) whose type is
 * {@code dev.spillway.usage.recorded} POSTed to {@code /}, or the plain event JSON POSTed to {@code
 * /usage-recorded} (then the gateway's {@code request_id} is the idempotency key). Invalid data is
 * refused with a 4xx, so that a broker does not redeliver it forever.
 */
public class UsageRecordedFunction {

  private final UsageLedger ledger;
  private final QuotaMetrics metrics;

  public UsageRecordedFunction(UsageLedger ledger, QuotaMetrics metrics) {
    this.ledger = ledger;
    this.metrics = metrics;
  }

  @Funq("usage-recorded")
  @CloudEventMapping(trigger = EventTypes.USAGE_RECORDED)
  public Uni<Void> usageRecorded(UsageRecordedEvent event, @Context CloudEvent<?> cloudEvent) {
    String problem = problem(event);
    String id =
        cloudEvent != null && cloudEvent.id() != null
            ? cloudEvent.id()
            : event == null ? null : event.requestId();
    if (problem == null && (id == null || id.isBlank() || id.length() > 200)) {
      problem = "the event has no id (ce-id, or request_id for plain JSON)";
    }
    if (problem != null) {
      metrics.event("invalid");
      Log.debugf("usage event refused: %s", problem);
      return Uni.createFrom().failure(new InvalidEventException(problem));
    }
    OffsetDateTime at =
        cloudEvent != null && cloudEvent.time() != null
            ? cloudEvent.time()
            : OffsetDateTime.now(ZoneOffset.UTC);
    return ledger
        .record(id, at, event)
        .invoke(inserted -> metrics.event(inserted ? "counted" : "duplicate"))
        .replaceWithVoid();
  }

  /** What is wrong with the event's data, or null. */
  static String problem(UsageRecordedEvent event) {
    if (event == null) {
      return "the event has no data";
    }
    if (!ResourceId.isValidName(event.tenant())) {
      return "tenant is missing or not a valid tenant name";
    }
    if (event.feature() != null && !ResourceId.isValidName(event.feature())) {
      return "feature is not a valid feature name";
    }
    if (event.promptTokens() < 0 || event.completionTokens() < 0) {
      return "token counts must not be negative";
    }
    if (event.costUsd() != null && event.costUsd().signum() < 0) {
      return "cost_usd must not be negative";
    }
    return null;
  }
}
