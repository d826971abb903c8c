package dev.spillway.drift.store;

import dev.spillway.drift.vocabulary.TermStatistics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * A feature's reference: what its windows are scored against. Pinning a window copies the window's
 * samples and term counts, so that window retention or later traffic cannot change a reference; an
 * uploaded set is stored the same way. Non-blocking; thread-safe.
 */
@Singleton
public class ReferenceStore {

  private final Pool pool;

  public ReferenceStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * A reference's summary.
   *
   * @param kind {@code window} or {@code uploaded}
   * @param pinnedWindow the window it was copied from, or null
   * @param samples its vectors
   * @param createdAt when it was set
   */
  public record Summary(String kind, Instant pinnedWindow, int samples, Instant createdAt) {}

  /** The feature's reference, or null when it has none. */
  public Uni<Summary> find(String tenant, String feature) {
    return pool.preparedQuery(
            "select r.kind, r.pinned_window, r.created_at, (select count(*) from reference_sample"
                + " s where s.tenant = r.tenant and s.feature = r.feature) as samples from"
                + " reference r where r.tenant = $1 and r.feature = $2")
        .execute(Tuple.of(tenant, feature))
        .map(rows -> rows.rowCount() == 0 ? null : summary(rows.iterator().next()));
  }

  /** Every (tenant, feature) with a reference. */
  public Uni<List<String[]>> all() {
    return pool.query("select tenant, feature from reference order by 1, 2")
        .execute()
        .map(
            rows -> {
              List<String[]> all = new java.util.ArrayList<>();
              for (Row row : rows) {
                all.add(new String[] {row.getString("tenant"), row.getString("feature")});
              }
              return all;
            });
  }

  /** Replaces the feature's reference with a copy of a window's samples and terms. */
  public Uni<Summary> pinWindow(String tenant, String feature, Instant windowStart) {
    Tuple key = Tuple.of(tenant, feature);
    Tuple window = Tuple.of(tenant, feature, SampleStore.utc(windowStart));
    return pool.withTransaction(
            conn ->
                lock(conn, tenant, feature)
                    .flatMap(
                        l ->
                            replace(
                                conn,
                                key,
                                "window",
                                SampleStore.utc(windowStart),
                                TermStatistics.empty()))
                    .flatMap(
                        v ->
                            conn.preparedQuery(
                                    "update reference r set texts = w.texts, words = w.words,"
                                        + " pieces = w.pieces, unknown_pieces = w.unknown_pieces"
                                        + " from sample_window w where r.tenant = $1 and"
                                        + " r.feature = $2 and w.tenant = $1 and w.feature = $2"
                                        + " and w.window_start = $3")
                                .execute(window))
                    .flatMap(
                        v ->
                            conn.preparedQuery(
                                    "insert into reference_sample (tenant, feature, embedding,"
                                        + " text) select tenant, feature, embedding, text from"
                                        + " sample where tenant = $1 and feature = $2 and"
                                        + " window_start = $3 order by slot")
                                .execute(window))
                    .flatMap(
                        v ->
                            conn.preparedQuery(
                                    "insert into reference_term (tenant, feature, term, count)"
                                        + " select tenant, feature, term, count from window_term"
                                        + " where tenant = $1 and feature = $2 and window_start ="
                                        + " $3")
                                .execute(window)))
        .flatMap(v -> find(tenant, feature));
  }

  /** Replaces the feature's reference with an uploaded set. */
  public Uni<Summary> replaceWithUploaded(
      String tenant, String feature, List<StoredSample> samples, TermStatistics terms) {
    Tuple key = Tuple.of(tenant, feature);
    return pool.withTransaction(
            conn ->
                lock(conn, tenant, feature)
                    .flatMap(l -> replace(conn, key, "uploaded", null, terms))
                    .flatMap(v -> addSamples(conn, tenant, feature, samples))
                    .flatMap(v -> addTerms(conn, tenant, feature, terms)))
        .flatMap(v -> find(tenant, feature));
  }

  /** Adds uploaded samples to the feature's existing reference (created when absent). */
  public Uni<Summary> append(
      String tenant, String feature, List<StoredSample> samples, TermStatistics terms) {
    return pool.withTransaction(
            conn ->
                lock(conn, tenant, feature)
                    .flatMap(
                        l ->
                            conn.preparedQuery(
                                    "insert into reference as r (tenant, feature, kind, texts, words, pieces,"
                                        + " unknown_pieces) values ($1, $2, 'uploaded', $3, $4, $5, $6) on"
                                        + " conflict (tenant, feature) do update set texts = r.texts +"
                                        + " excluded.texts, words = r.words + excluded.words, pieces ="
                                        + " r.pieces + excluded.pieces, unknown_pieces = r.unknown_pieces +"
                                        + " excluded.unknown_pieces")
                                .execute(
                                    Tuple.tuple()
                                        .addValue(tenant)
                                        .addValue(feature)
                                        .addValue(terms.texts())
                                        .addValue(terms.words())
                                        .addValue(terms.tokens())
                                        .addValue(terms.unknownTokens())))
                    .flatMap(v -> addSamples(conn, tenant, feature, samples))
                    .flatMap(v -> addTerms(conn, tenant, feature, terms)))
        .flatMap(v -> find(tenant, feature));
  }

  /** Removes the feature's reference; true when it had one. */
  public Uni<Boolean> delete(String tenant, String feature) {
    return pool.preparedQuery("delete from reference where tenant = $1 and feature = $2")
        .execute(Tuple.of(tenant, feature))
        .map(rows -> rows.rowCount() > 0);
  }

  /** The reference's vectors. */
  public Uni<float[][]> vectors(String tenant, String feature) {
    return pool.preparedQuery(
            "select embedding::real[] as v from reference_sample where tenant = $1 and feature ="
                + " $2 order by id")
        .execute(Tuple.of(tenant, feature))
        .map(SampleStore::vectors);
  }

  /** The reference's term counts and word-piece totals (counts first: see {@link SampleStore}). */
  public Uni<TermStatistics> terms(String tenant, String feature) {
    Tuple key = Tuple.of(tenant, feature);
    return pool.preparedQuery(
            "select term, count from reference_term where tenant = $1 and feature = $2")
        .execute(key)
        .flatMap(
            rows ->
                pool.preparedQuery(
                        "select texts, words, pieces, unknown_pieces from reference where tenant ="
                            + " $1 and feature = $2")
                    .execute(key)
                    .map(totals -> SampleStore.statistics(rows, totals)));
  }

  /**
   * Serialises changes of one feature's reference (two concurrent replacements would both delete,
   * then both insert, and the second would fail on the primary key).
   */
  private static Uni<?> lock(SqlConnection conn, String tenant, String feature) {
    return conn.preparedQuery("select pg_advisory_xact_lock(hashtext($1))")
        .execute(Tuple.of("drift-reference/" + tenant + "/" + feature));
  }

  private static Uni<?> replace(
      SqlConnection conn,
      Tuple key,
      String kind,
      java.time.OffsetDateTime pinned,
      TermStatistics terms) {
    return conn.preparedQuery("delete from reference where tenant = $1 and feature = $2")
        .execute(key)
        .flatMap(
            v ->
                conn.preparedQuery(
                        "insert into reference (tenant, feature, kind, pinned_window, texts,"
                            + " words, pieces, unknown_pieces) values ($1, $2, $3, $4, $5, $6,"
                            + " $7, $8)")
                    .execute(
                        Tuple.tuple()
                            .addValue(key.getString(0))
                            .addValue(key.getString(1))
                            .addValue(kind)
                            .addValue(pinned)
                            .addValue(terms.texts())
                            .addValue(terms.words())
                            .addValue(terms.tokens())
                            .addValue(terms.unknownTokens())));
  }

  static Uni<?> addSamples(
      SqlConnection conn, String tenant, String feature, List<StoredSample> samples) {
    if (samples.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(
            "insert into reference_sample (tenant, feature, embedding, text) select $1, $2,"
                + " u.e::public.vector, u.t from unnest($3::text[], $4::text[]) with ordinality as"
                + " u(e, t, n) order by u.n")
        .execute(Columns.addSamples(Tuple.tuple().addValue(tenant).addValue(feature), samples));
  }

  private static Uni<?> addTerms(
      SqlConnection conn, String tenant, String feature, TermStatistics terms) {
    if (terms.termCounts().isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(
            "insert into reference_term as r (tenant, feature, term, count) select $1, $2, u.term,"
                + " u.n from unnest($3::text[], $4::int8[]) as u(term, n) on conflict (tenant,"
                + " feature, term) do update set count = r.count + excluded.count")
        .execute(Columns.addTerms(Tuple.tuple().addValue(tenant).addValue(feature), terms));
  }

  private static Summary summary(Row row) {
    java.time.OffsetDateTime pinned = row.getOffsetDateTime("pinned_window");
    return new Summary(
        row.getString("kind"),
        pinned == null ? null : pinned.toInstant(),
        row.getLong("samples").intValue(),
        row.getOffsetDateTime("created_at").toInstant());
  }
}
