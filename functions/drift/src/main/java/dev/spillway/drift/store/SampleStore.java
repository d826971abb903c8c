package dev.spillway.drift.store;

import dev.spillway.drift.ingest.ReservoirSlots;
import dev.spillway.drift.vocabulary.TermStatistics;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sample windows: each (tenant, feature, window) keeps a reservoir of at most the tenant's {@code
 * reservoir_size} samples ({@link ReservoirSlots}) and the term counts of every text offered.
 *
 * <p>One transaction per ingested batch: the window's row is created or updated first, which locks
 * it until commit, and its count of offered samples tells the reservoir which slots the batch
 * takes; concurrent batches for one window therefore run one after the other, and batches for
 * different windows in parallel. Non-blocking; thread-safe.
 */
@Singleton
public class SampleStore {

  // A window row is keyed by its start. After a tenant's window length changes, a new window can
  // start where an old one did; the row then takes the later end of the two, so that the samples
  // of both lengths' window stay in one window that covers them all.
  private static final String BUMP_WINDOW =
      "insert into sample_window as w (tenant, feature, window_start, window_end, seen, texts,"
          + " words, pieces, unknown_pieces) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on"
          + " conflict (tenant, feature, window_start) do update set seen = w.seen +"
          + " excluded.seen, texts = w.texts + excluded.texts, words = w.words + excluded.words,"
          + " pieces = w.pieces + excluded.pieces, unknown_pieces = w.unknown_pieces +"
          + " excluded.unknown_pieces, window_end = greatest(w.window_end, excluded.window_end)"
          + " returning w.seen";

  private static final String PUT_SAMPLES =
      "insert into sample (tenant, feature, window_start, slot, embedding, text) select $1, $2,"
          + " $3, u.slot, u.e::public.vector, u.t from unnest($4::int[], $5::text[], $6::text[])"
          + " as u(slot, e, t) on conflict (tenant, feature, window_start, slot) do update set"
          + " embedding = excluded.embedding, text = excluded.text, received_at = now()";

  private static final String ADD_TERMS =
      "insert into window_term as w (tenant, feature, window_start, term, count) select $1, $2,"
          + " $3, u.term, u.n from unnest($4::text[], $5::int8[]) as u(term, n) on conflict"
          + " (tenant, feature, window_start, term) do update set count = w.count + excluded.count";

  /** A feature's windows with how many samples each kept; callers add conditions and order. */
  private static final String WINDOWS =
      "select w.window_start, w.window_end, w.seen, (select count(*) from sample s where s.tenant ="
          + " w.tenant and s.feature = w.feature and s.window_start = w.window_start) as kept from"
          + " sample_window w where w.tenant = $1 and w.feature = $2";

  private final Pool pool;
  private final SplittableRandom seeds = new SplittableRandom();

  public SampleStore(Pool pool) {
    this.pool = pool;
  }

  /** One window of a feature. */
  public record Window(Instant start, Instant end, long seen, int kept) {}

  /**
   * What an ingested batch did.
   *
   * @param duplicate true when the batch's event was consumed before (nothing was done)
   */
  public record Ingested(Instant windowStart, long seenAfter, int kept, boolean duplicate) {}

  /**
   * Offers {@code samples} to the reservoir of the window starting at {@code windowStart} and adds
   * {@code terms} to its counts.
   *
   * @param eventId the CloudEvent the batch came in, or null: an event id already consumed is
   *     skipped, in the same transaction, so a redelivered event counts once
   */
  public Uni<Ingested> ingest(
      TenantSettings tenant,
      String feature,
      Instant windowStart,
      List<StoredSample> samples,
      TermStatistics terms,
      String eventId) {
    OffsetDateTime start = utc(windowStart);
    OffsetDateTime end = utc(tenant.windowEnd(windowStart));
    SplittableRandom random;
    synchronized (seeds) {
      random = seeds.split();
    }
    return pool.withTransaction(
        conn -> {
          Uni<Boolean> fresh =
              eventId == null
                  ? Uni.createFrom().item(true)
                  : conn.preparedQuery(
                          "insert into consumed_event (id) values ($1) on conflict (id) do"
                              + " nothing")
                      .execute(Tuple.of(eventId))
                      .map(rows -> rows.rowCount() == 1);
          return fresh.flatMap(
              isFresh ->
                  !isFresh
                      ? Uni.createFrom().item(new Ingested(windowStart, -1, 0, true))
                      : bump(
                          conn, tenant, feature, windowStart, start, end, samples, terms, random));
        });
  }

  private Uni<Ingested> bump(
      io.vertx.mutiny.sqlclient.SqlConnection conn,
      TenantSettings tenant,
      String feature,
      Instant windowStart,
      OffsetDateTime start,
      OffsetDateTime end,
      List<StoredSample> samples,
      TermStatistics terms,
      SplittableRandom random) {
    return conn.preparedQuery(BUMP_WINDOW)
        .execute(
            Tuple.tuple()
                .addValue(tenant.name())
                .addValue(feature)
                .addValue(start)
                .addValue(end)
                .addValue((long) samples.size())
                .addValue(terms.texts())
                .addValue(terms.words())
                .addValue(terms.tokens())
                .addValue(terms.unknownTokens()))
        .flatMap(
            rows -> {
              long seenAfter = rows.iterator().next().getLong("seen");
              int[] slots =
                  ReservoirSlots.assign(
                      seenAfter - samples.size(), samples.size(), tenant.reservoirSize(), random);
              // A later sample of the batch may take an earlier one's slot: last wins (one
              // row per slot in the statement).
              Map<Integer, StoredSample> bySlot = new LinkedHashMap<>();
              for (int i = 0; i < slots.length; i++) {
                if (slots[i] != ReservoirSlots.DROPPED) {
                  bySlot.put(slots[i], samples.get(i));
                }
              }
              Uni<?> put = Uni.createFrom().voidItem();
              if (!bySlot.isEmpty()) {
                put =
                    conn.preparedQuery(PUT_SAMPLES)
                        .execute(
                            Columns.addSamples(
                                Tuple.tuple()
                                    .addValue(tenant.name())
                                    .addValue(feature)
                                    .addValue(start)
                                    .addArrayOfInteger(bySlot.keySet().toArray(Integer[]::new)),
                                bySlot.values()));
              }
              Uni<?> addTerms =
                  terms.termCounts().isEmpty()
                      ? Uni.createFrom().voidItem()
                      : conn.preparedQuery(ADD_TERMS)
                          .execute(
                              Columns.addTerms(
                                  Tuple.tuple()
                                      .addValue(tenant.name())
                                      .addValue(feature)
                                      .addValue(start),
                                  terms));
              int kept = bySlot.size();
              return put.flatMap(v -> addTerms)
                  .map(v -> new Ingested(windowStart, seenAfter, kept, false));
            });
  }

  /** The windows of a feature, newest first, with how many samples each kept. */
  public Uni<List<Window>> windows(String tenant, String feature, int limit) {
    return pool.preparedQuery(WINDOWS + " order by w.window_start desc limit $3")
        .execute(Tuple.of(tenant, feature, limit))
        .map(
            rows -> {
              List<Window> windows = new ArrayList<>();
              for (Row row : rows) {
                windows.add(window(row));
              }
              return windows;
            });
  }

  /** The feature's latest window that ended at or before {@code now}, or null. */
  public Uni<Window> latestEnded(String tenant, String feature, Instant now) {
    return pool.preparedQuery(
            WINDOWS + " and w.window_end <= $3 order by w.window_start desc limit 1")
        .execute(Tuple.of(tenant, feature, utc(now)))
        .map(rows -> rows.rowCount() == 0 ? null : window(rows.iterator().next()));
  }

  /** The window starting at {@code start}, or null. */
  public Uni<Window> window(String tenant, String feature, Instant start) {
    return pool.preparedQuery(WINDOWS + " and w.window_start = $3")
        .execute(Tuple.of(tenant, feature, utc(start)))
        .map(rows -> rows.rowCount() == 0 ? null : window(rows.iterator().next()));
  }

  /** The vectors kept in a window, by slot. */
  public Uni<float[][]> vectors(String tenant, String feature, Instant windowStart) {
    return pool.preparedQuery(
            "select embedding::real[] as v from sample where tenant = $1 and feature = $2 and"
                + " window_start = $3 order by slot")
        .execute(Tuple.of(tenant, feature, utc(windowStart)))
        .map(SampleStore::vectors);
  }

  /**
   * The term counts and word-piece totals of a window. Counts are read before totals: both only
   * grow, so a batch committed in between makes the totals larger, never the counts (whose sum must
   * not exceed the words).
   */
  public Uni<TermStatistics> terms(String tenant, String feature, Instant windowStart) {
    Tuple key = Tuple.of(tenant, feature, utc(windowStart));
    return pool.preparedQuery(
            "select term, count from window_term where tenant = $1 and feature = $2 and"
                + " window_start = $3")
        .execute(key)
        .flatMap(
            rows ->
                pool.preparedQuery(
                        "select texts, words, pieces, unknown_pieces from sample_window where"
                            + " tenant = $1 and feature = $2 and window_start = $3")
                    .execute(key)
                    .map(totals -> statistics(rows, totals)));
  }

  /** Term counts and totals as {@link TermStatistics} (empty without a totals row). */
  static TermStatistics statistics(RowSet<Row> terms, RowSet<Row> totals) {
    if (totals.rowCount() == 0) {
      return TermStatistics.empty();
    }
    Map<String, Long> counts = new HashMap<>();
    for (Row row : terms) {
      counts.put(row.getString("term"), row.getLong("count"));
    }
    Row t = totals.iterator().next();
    return new TermStatistics(
        t.getLong("texts"),
        t.getLong("words"),
        t.getLong("pieces"),
        t.getLong("unknown_pieces"),
        counts);
  }

  static float[][] vectors(RowSet<Row> rows) {
    float[][] vectors = new float[rows.rowCount()][];
    int i = 0;
    for (Row row : rows) {
      vectors[i++] = PgVectors.unbox(row.getArrayOfFloats("v"));
    }
    return vectors;
  }

  private static Window window(Row row) {
    return new Window(
        row.getOffsetDateTime("window_start").toInstant(),
        row.getOffsetDateTime("window_end").toInstant(),
        row.getLong("seen"),
        row.getLong("kept").intValue());
  }

  static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
