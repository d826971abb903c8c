package dev.spillway.quota.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.EventTypes;
import dev.spillway.events.UsageRecordedEvent;
import dev.spillway.lambda.events.EventConsumer;
import dev.spillway.lambda.events.IncomingEvent;
import dev.spillway.lambda.events.InvalidEventException;
import dev.spillway.problems.JsonProblems;
import dev.spillway.quota.ResourceId;
import dev.spillway.quota.leasing.QuotaMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Counts {@code dev.spillway.usage.recorded} into the usage ledger, idempotently by event id,
 * however the event arrived: a CloudEvent through Funqy ({@link UsageRecordedFunction}) or an SQS
 * record or EventBridge event on the Lambda pass-through path. Invalid data fails with {@link
 * InvalidEventException}, so that a broker does not redeliver it forever. Thread-safe.
 */
@Singleton
public class UsageEvents implements EventConsumer {

  private final UsageLedger ledger;
  private final QuotaMetrics metrics;
  private final ObjectMapper mapper;

  public UsageEvents(UsageLedger ledger, QuotaMetrics metrics, ObjectMapper mapper) {
    this.ledger = ledger;
    this.metrics = metrics;
    this.mapper = mapper;
  }

  @Override
  public Set<String> types() {
    return Set.of(EventTypes.USAGE_RECORDED);
  }

  @Override
  public Uni<Void> consume(IncomingEvent event) {
    UsageRecordedEvent data;
    try {
      data = mapper.treeToValue(event.data(), UsageRecordedEvent.class);
    } catch (JsonProcessingException e) {
      return refuse("the event's data is not a usage record: " + JsonProblems.describe(e));
    }
    return record(event.id(), event.time(), data);
  }

  /**
   * Counts one usage record.
   *
   * @param id the idempotency key (the event id, or the gateway's request id for plain JSON)
   * @param at when it happened, or null for now
   */
  public Uni<Void> record(String id, OffsetDateTime at, UsageRecordedEvent data) {
    String problem = problem(data);
    if (problem == null && (id == null || id.isBlank() || id.length() > 200)) {
      problem = "the event has no id (ce-id, or request_id for plain JSON)";
    }
    if (problem == null && id.indexOf('\u0000') >= 0) {
      problem = "the event's id contains a NUL character";
    }
    if (problem != null) {
      return refuse(problem);
    }
    return ledger
        .tenantExists(data.tenant())
        .flatMap(
            exists ->
                exists
                    ? ledger
                        .record(id, at == null ? OffsetDateTime.now(ZoneOffset.UTC) : at, data)
                        .invoke(inserted -> metrics.event(inserted ? "counted" : "duplicate"))
                        .replaceWithVoid()
                    : refuse("tenant '" + data.tenant() + "' does not exist"));
  }

  private Uni<Void> refuse(String problem) {
    metrics.event("invalid");
    Log.debugf("usage event refused: %s", problem);
    return Uni.createFrom().failure(new InvalidEventException(problem));
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
    String money = moneyProblem("cost_usd", event.costUsd());
    if (money == null) {
      money = moneyProblem("strongest_cost_usd", event.strongestCostUsd());
    }
    if (money != null) {
      return money;
    }
    String[][] texts = {
      {"request_id", event.requestId()},
      {"route", event.route()},
      {"provider", event.provider()},
      {"model", event.model()},
      {"outcome", event.outcome()},
      {"route_category", event.routeCategory()},
      {"route_reason", event.routeReason()}
    };
    for (String[] text : texts) {
      if (text[1] == null) {
        continue;
      }
      if (text[1].indexOf('\u0000') >= 0) {
        // PostgreSQL's text cannot hold NUL: storing it would fail on every redelivery.
        return text[0] + " contains a NUL character";
      }
      if (text[1].length() > MAX_TEXT) {
        return text[0] + " is longer than " + MAX_TEXT + " characters";
      }
    }
    return null;
  }

  /** The longest text field a usage record may carry (names, ids and reasons are short). */
  static final int MAX_TEXT = 500;

  /** What numeric(20, 10) holds: ten digits before the point. */
  private static final BigDecimal MAX_USD = BigDecimal.TEN.pow(10);

  private static String moneyProblem(String field, BigDecimal usd) {
    if (usd == null) {
      return null;
    }
    if (usd.signum() < 0) {
      return field + " must not be negative";
    }
    if (usd.compareTo(MAX_USD) >= 0) {
      return field + " must be below 10,000,000,000 USD";
    }
    return null;
  }
}
