package dev.spillway.drift.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Tenants and their settings. Non-blocking; thread-safe. */
@Singleton
public class TenantStore {

  private static final String COLUMNS =
      "name, keep_text, window_seconds, reservoir_size, min_samples, version";

  private final Pool pool;

  public TenantStore(Pool pool) {
    this.pool = pool;
  }

  /** The tenant, or null when the drift function does not serve it. */
  public Uni<TenantSettings> find(String name) {
    return pool.preparedQuery("select " + COLUMNS + " from tenant where name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() == 0 ? null : settings(rows.iterator().next()));
  }

  /** Every tenant, by name. */
  public Uni<List<TenantSettings>> all() {
    return pool.query("select " + COLUMNS + " from tenant order by name")
        .execute()
        .map(TenantStore::list);
  }

  /**
   * Creates the tenant or replaces its settings.
   *
   * @return the stored settings and whether the tenant was created
   */
  public Uni<Saved> put(TenantSettings settings) {
    // A smaller reservoir keeps the first slots of every window: the slots of a reservoir are
    // exchangeable, so they are still a uniform sample of everything the window was offered.
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "insert into tenant as t (name, keep_text, window_seconds, reservoir_size,"
                        + " min_samples) values ($1, $2, $3, $4, $5) on conflict (name) do update set"
                        + " keep_text = excluded.keep_text, window_seconds = excluded.window_seconds,"
                        + " reservoir_size = excluded.reservoir_size, min_samples ="
                        + " excluded.min_samples, version = t.version + 1, updated_at = now() returning "
                        + COLUMNS
                        + ", (xmax = 0) as created")
                .execute(
                    Tuple.of(
                        settings.name(),
                        settings.keepText(),
                        (int) settings.window().toSeconds(),
                        settings.reservoirSize(),
                        settings.minSamples()))
                .map(
                    rows -> {
                      Row row = rows.iterator().next();
                      return new Saved(settings(row), row.getBoolean("created"));
                    })
                .flatMap(
                    saved ->
                        conn.preparedQuery("delete from sample where tenant = $1 and slot >= $2")
                            .execute(Tuple.of(settings.name(), settings.reservoirSize()))
                            .map(deleted -> saved)));
  }

  /** What {@link #put} stored. */
  public record Saved(TenantSettings settings, boolean created) {}

  /** Deletes the tenant and all its data; true when it existed. */
  public Uni<Boolean> delete(String name) {
    return pool.preparedQuery("delete from tenant where name = $1")
        .execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0);
  }

  private static List<TenantSettings> list(RowSet<Row> rows) {
    List<TenantSettings> all = new ArrayList<>();
    for (Row row : rows) {
      all.add(settings(row));
    }
    return all;
  }

  private static TenantSettings settings(Row row) {
    return new TenantSettings(
        row.getString("name"),
        row.getBoolean("keep_text"),
        Duration.ofSeconds(row.getInteger("window_seconds")),
        row.getInteger("reservoir_size"),
        row.getInteger("min_samples"),
        row.getLong("version"));
  }
}
