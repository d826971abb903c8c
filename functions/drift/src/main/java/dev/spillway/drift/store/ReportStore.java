package dev.spillway.drift.store;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Drift reports, kept as JSON documents. Non-blocking; thread-safe. */
@Singleton
public class ReportStore {

  private final Pool pool;

  public ReportStore(Pool pool) {
    this.pool = pool;
  }

  /** A stored report: its id, and its body as JSON. */
  public record Stored(
      long id, String verdict, Instant windowStart, Instant createdAt, String body) {}

  /** A new report id (taken before the report is written, so that its body can carry it). */
  public Uni<Long> nextId() {
    return pool.query("select nextval('report_id_seq') as id")
        .execute()
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  /** Stores a report body under {@code id} (from {@link #nextId()}). */
  public Uni<Void> insert(
      long id, String tenant, String feature, Instant windowStart, String verdict, String body) {
    return pool.preparedQuery(
            "insert into report (id, tenant, feature, window_start, verdict, body) values ($1, $2,"
                + " $3, $4, $5, $6::jsonb)")
        .execute(
            Tuple.tuple()
                .addValue(id)
                .addValue(tenant)
                .addValue(feature)
                .addValue(SampleStore.utc(windowStart))
                .addValue(verdict)
                .addValue(new JsonObject(body)))
        .replaceWithVoid();
  }

  /** The feature's reports, newest first. */
  public Uni<List<Stored>> list(String tenant, String feature, int limit) {
    return pool.preparedQuery(
            "select id, verdict, window_start, created_at, body::text as body from report where"
                + " tenant = $1 and feature = $2 order by created_at desc, id desc limit $3")
        .execute(Tuple.of(tenant, feature, limit))
        .map(
            rows -> {
              List<Stored> all = new ArrayList<>();
              for (Row row : rows) {
                all.add(stored(row));
              }
              return all;
            });
  }

  /** One report of the feature, or null. */
  public Uni<Stored> find(String tenant, String feature, long id) {
    return pool.preparedQuery(
            "select id, verdict, window_start, created_at, body::text as body from report where"
                + " tenant = $1 and feature = $2 and id = $3")
        .execute(Tuple.of(tenant, feature, id))
        .map(rows -> rows.rowCount() == 0 ? null : stored(rows.iterator().next()));
  }

  /**
   * The verdict of the feature's latest report that had one ({@code drift} or {@code no_drift}), or
   * null: what a new verdict is compared with to tell a flip.
   */
  public Uni<String> lastVerdict(String tenant, String feature) {
    return pool.preparedQuery(
            "select verdict from report where tenant = $1 and feature = $2 and verdict in"
                + " ('drift', 'no_drift') order by created_at desc, id desc limit 1")
        .execute(Tuple.of(tenant, feature))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("verdict"));
  }

  /** True when the window already has a report (scheduled runs score each window once). */
  public Uni<Boolean> reported(String tenant, String feature, Instant windowStart) {
    return pool.preparedQuery(
            "select 1 from report where tenant = $1 and feature = $2 and window_start = $3 limit"
                + " 1")
        .execute(Tuple.of(tenant, feature, SampleStore.utc(windowStart)))
        .map(rows -> rows.rowCount() > 0);
  }

  private static Stored stored(Row row) {
    return new Stored(
        row.getLong("id"),
        row.getString("verdict"),
        row.getOffsetDateTime("window_start").toInstant(),
        row.getOffsetDateTime("created_at").toInstant(),
        row.getString("body"));
  }
}
