package dev.spillway.quota.usage;

import dev.spillway.events.UsageRecordedEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The usage ledger: one row per usage event, keyed by its id so that a redelivered event counts
 * once, and the totals read from it. Non-blocking; thread-safe.
 */
@Singleton
public class UsageLedger {

  /** The columns {@code GET /usage} may group by, in output order. */
  public static final List<String> GROUPS = List.of("feature", "model", "category", "day");

  private final Pool pool;

  public UsageLedger(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records an event unless its id was recorded before.
   *
   * @return true when it was new, false for a duplicate
   */
  public Uni<Boolean> record(String eventId, OffsetDateTime occurredAt, UsageRecordedEvent event) {
    OffsetDateTime at = occurredAt.withOffsetSameInstant(ZoneOffset.UTC);
    return pool.preparedQuery(
            "insert into usage_event (event_id, tenant, feature, route, provider, model,"
                + " prompt_tokens, completion_tokens, cost_usd, outcome, occurred_at, day,"
                + " route_category, route_reason, strongest_cost_usd, request_id) values ($1, $2,"
                + " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) on conflict"
                + " (event_id) do nothing")
        .execute(
            Tuple.tuple()
                .addValue(eventId)
                .addValue(event.tenant())
                .addValue(event.feature())
                .addValue(event.route())
                .addValue(event.provider())
                .addValue(event.model())
                .addValue(event.promptTokens())
                .addValue(event.completionTokens())
                .addValue(event.costUsd() == null ? java.math.BigDecimal.ZERO : event.costUsd())
                .addValue(event.outcome())
                .addValue(at)
                .addValue(at.toLocalDate())
                .addValue(event.routeCategory())
                .addValue(event.routeReason())
                .addValue(event.strongestCostUsd())
                .addValue(event.requestId()))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * A tenant's totals per group between two days (inclusive).
   *
   * @param groupBy a subset of {@link #GROUPS}
   */
  public Uni<List<UsageRow>> totals(
      String tenant, LocalDate from, LocalDate to, List<String> groupBy) {
    boolean feature = groupBy.contains("feature");
    boolean model = groupBy.contains("model");
    boolean category = groupBy.contains("category");
    boolean day = groupBy.contains("day");
    // Only whitelisted column names reach the statement; values travel as parameters.
    List<String> keys = new ArrayList<>();
    if (feature) {
      keys.add("feature");
    }
    if (model) {
      keys.add("model");
    }
    if (category) {
      keys.add("route_category");
    }
    if (day) {
      keys.add("day");
    }
    String select =
        (feature ? "feature" : "null::text as feature")
            + ", "
            + (model ? "model" : "null::text as model")
            + ", "
            + (category ? "route_category" : "null::text as route_category")
            + ", "
            + (day ? "day" : "null::date as day");
    String group = keys.isEmpty() ? "" : " group by " + String.join(", ", keys);
    String order = keys.isEmpty() ? "" : " order by " + String.join(", ", keys);
    String sql =
        "select "
            + select
            + ", count(*) as requests, coalesce(sum(prompt_tokens), 0) as prompt_tokens,"
            + " coalesce(sum(completion_tokens), 0) as completion_tokens, coalesce(sum(cost_usd),"
            + " 0) as cost_usd, coalesce(sum(coalesce(strongest_cost_usd, cost_usd)), 0) as"
            + " strongest_cost_usd from usage_event where tenant = $1 and day between $2 and $3"
            + group
            + order;
    return pool.preparedQuery(sql)
        .execute(Tuple.of(tenant, from, to))
        .map(
            rows -> {
              List<UsageRow> result = new ArrayList<>();
              for (Row row : rows) {
                long requests = row.getLong("requests");
                if (requests == 0) {
                  continue;
                }
                result.add(
                    new UsageRow(
                        tenant,
                        row.getString("feature"),
                        row.getString("model"),
                        row.getString("route_category"),
                        row.getLocalDate("day"),
                        requests,
                        row.getLong("prompt_tokens"),
                        row.getLong("completion_tokens"),
                        row.getBigDecimal("cost_usd").stripTrailingZeros(),
                        row.getBigDecimal("strongest_cost_usd").stripTrailingZeros()));
              }
              return result;
            });
  }

  /** True when the tenant exists. */
  public Uni<Boolean> tenantExists(String tenant) {
    return pool.preparedQuery("select 1 from tenant where name = $1")
        .execute(Tuple.of(tenant))
        .map(rows -> rows.rowCount() > 0);
  }
}
