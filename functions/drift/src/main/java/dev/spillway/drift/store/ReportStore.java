package dev.spillway.drift.store;

import dev.spillway.drift.report.DriftReport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
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
   * Stores a report unless it is redundant, and tells its history; one feature at a time (an
   * advisory lock on the feature), so that concurrent runs neither store one window twice nor both
   * see the same previous verdict.
   *
   * @param report the computed report (id 0)
   * @param referenceSince the reference's creation: verdicts against an older reference are not
   *     this reference's history
   * @param scheduled true for a scheduled run: skipped (null) when the window already has a report
   *     made after it ended
   * @param json writes the report (with its id and history) as JSON
   * @return the stored report with its id, previous verdict and flip; null when skipped
   */
  public Uni<DriftReport> save(
      DriftReport report,
      Instant referenceSince,
      boolean scheduled,
      java.util.function.Function<DriftReport, String> json) {
    String tenant = report.tenant();
    String feature = report.feature();
    OffsetDateTime start = SampleStore.utc(report.window().start());
    return pool.withTransaction(
        conn ->
            conn.preparedQuery("select pg_advisory_xact_lock(hashtext($1))")
                .execute(Tuple.of("drift-report/" + tenant + "/" + feature))
                .flatMap(
                    locked ->
                        scheduled
                            ? conn.preparedQuery(
                                    "select 1 from report where tenant = $1 and feature = $2 and"
                                        + " window_start = $3 and created_at >= $4 limit 1")
                                .execute(
                                    Tuple.of(
                                        tenant,
                                        feature,
                                        start,
                                        SampleStore.utc(report.window().end())))
                                .map(rows -> rows.rowCount() > 0)
                            : Uni.createFrom().item(false))
                .flatMap(
                    done -> {
                      if (done) {
                        return Uni.createFrom().nullItem();
                      }
                      // The verdict of the nearest earlier (or same) window scored against this
                      // reference: a backfilled old window is compared with its own past, not with
                      // today's.
                      return conn.preparedQuery(
                              "select verdict from report where tenant = $1 and feature = $2 and"
                                  + " verdict in ('drift', 'no_drift') and window_start <= $3 and"
                                  + " created_at >= $4 order by window_start desc, id desc limit 1")
                          .execute(
                              Tuple.of(tenant, feature, start, SampleStore.utc(referenceSince)))
                          .flatMap(
                              rows -> {
                                String previous =
                                    rows.rowCount() == 0
                                        ? null
                                        : rows.iterator().next().getString("verdict");
                                return conn.query("select nextval('report_id_seq') as id")
                                    .execute()
                                    .flatMap(
                                        ids -> {
                                          long id = ids.iterator().next().getLong("id");
                                          DriftReport stored = report.withHistory(id, previous);
                                          return conn.preparedQuery(
                                                  "insert into report (id, tenant, feature,"
                                                      + " window_start, verdict, body) values ($1,"
                                                      + " $2, $3, $4, $5, $6::jsonb)")
                                              .execute(
                                                  Tuple.tuple()
                                                      .addValue(id)
                                                      .addValue(tenant)
                                                      .addValue(feature)
                                                      .addValue(start)
                                                      .addValue(stored.verdict())
                                                      .addValue(new JsonObject(json.apply(stored))))
                                              .map(v -> stored);
                                        });
                              });
                    }));
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
