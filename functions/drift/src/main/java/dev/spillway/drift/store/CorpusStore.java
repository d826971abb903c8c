package dev.spillway.drift.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * A feature's corpus sample: documents its search runs over, with an HNSW index (cosine) for the
 * top-1 look-ups of retrieval coverage. Non-blocking; thread-safe.
 */
@Singleton
public class CorpusStore {

  // The HNSW index serves every tenant; a feature's filter is applied while the graph is walked
  // (pgvector 0.8's iterative scan), so that a small corpus among large ones still gets its
  // nearest document rather than nothing. strict_order keeps the first result the nearest.
  private static final String SCAN_SETTINGS =
      "set local hnsw.iterative_scan = strict_order; set local hnsw.ef_search = 64";

  private static final String TOP1 =
      "(select 1 - (c.embedding <=> s.embedding) from corpus_document c where c.tenant = $1 and"
          + " c.feature = $2 order by c.embedding <=> s.embedding limit 1)::float8 as top1";

  private final Pool pool;

  public CorpusStore(Pool pool) {
    this.pool = pool;
  }

  /** How many documents the feature's corpus sample holds. */
  public Uni<Long> count(String tenant, String feature) {
    return pool.preparedQuery(
            "select count(*) as n from corpus_document where tenant = $1 and feature = $2")
        .execute(Tuple.of(tenant, feature))
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  /** Adds documents. */
  public Uni<Long> add(String tenant, String feature, List<StoredSample> documents) {
    if (documents.isEmpty()) {
      return count(tenant, feature);
    }
    return pool.preparedQuery(
            "insert into corpus_document (tenant, feature, embedding, text) select $1, $2,"
                + " u.e::public.vector, u.t from unnest($3::text[], $4::text[]) as u(e, t)")
        .execute(Columns.addSamples(Tuple.tuple().addValue(tenant).addValue(feature), documents))
        .flatMap(v -> count(tenant, feature));
  }

  /** Removes the feature's corpus sample; the number of documents removed. */
  public Uni<Integer> delete(String tenant, String feature) {
    return pool.preparedQuery("delete from corpus_document where tenant = $1 and feature = $2")
        .execute(Tuple.of(tenant, feature))
        .map(RowSet::rowCount);
  }

  /** Each window sample's cosine similarity to its nearest corpus document. */
  public Uni<double[]> windowTop1(String tenant, String feature, Instant windowStart) {
    return top1(
        "sample s where s.tenant = $1 and s.feature = $2 and s.window_start = $3",
        Tuple.of(tenant, feature, SampleStore.utc(windowStart)));
  }

  /** Each reference sample's cosine similarity to its nearest corpus document. */
  public Uni<double[]> referenceTop1(String tenant, String feature) {
    return top1(
        "reference_sample s where s.tenant = $1 and s.feature = $2", Tuple.of(tenant, feature));
  }

  /**
   * The top-1 similarity of each query row {@code from} selects ({@code s}; $1, $2: its feature).
   */
  private Uni<double[]> top1(String from, Tuple parameters) {
    return pool.withTransaction(
        conn ->
            settings(conn)
                .flatMap(
                    v -> conn.preparedQuery("select " + TOP1 + " from " + from).execute(parameters))
                .map(CorpusStore::similarities));
  }

  private static Uni<?> settings(SqlConnection conn) {
    return conn.query(SCAN_SETTINGS).execute();
  }

  /**
   * The similarities found. A query whose index scan found no document of the feature (the scan
   * gives up after {@code hnsw.max_scan_tuples} when other features' documents crowd the graph) has
   * none, and is left out rather than counted as "not covered".
   */
  private static double[] similarities(RowSet<Row> rows) {
    double[] values = new double[rows.rowCount()];
    int i = 0;
    for (Row row : rows) {
      Double top1 = row.getDouble("top1");
      if (top1 != null) {
        values[i++] = top1;
      }
    }
    return java.util.Arrays.copyOf(values, i);
  }
}
