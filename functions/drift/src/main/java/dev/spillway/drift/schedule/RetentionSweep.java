package dev.spillway.drift.schedule;

import dev.spillway.drift.config.DriftConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Bounds what the drift function keeps: sample windows older than {@code drift.retention} (their
 * reservoirs and term counts go with them; references and reports are copies and stay), and the ids
 * of consumed events after {@link #EVENT_IDS_KEPT_FOR_HOURS} hours (a broker redelivers within
 * minutes, not days). Hourly; every replica may run it (deletes are idempotent).
 */
@Singleton
public class RetentionSweep {

  static final int EVENT_IDS_KEPT_FOR_HOURS = 24;

  private final Pool pool;
  private final DriftConfig config;

  public RetentionSweep(Pool pool, DriftConfig config) {
    this.pool = pool;
    this.config = config;
  }

  @Scheduled(
      identity = "drift-retention",
      every = "1h",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    return sweep(Instant.now())
        .invoke(
            deleted -> {
              if (deleted > 0) {
                Log.infof("retention: removed %d sample windows", deleted);
              }
            })
        .replaceWithVoid();
  }

  /**
   * Deletes what is past retention at {@code now}.
   *
   * @return the sample windows removed
   */
  public Uni<Integer> sweep(Instant now) {
    return pool.preparedQuery("delete from sample_window where window_end < $1")
        .execute(Tuple.of(now.minus(config.retention()).atOffset(ZoneOffset.UTC)))
        .flatMap(
            windows ->
                pool.preparedQuery("delete from consumed_event where consumed_at < $1")
                    .execute(
                        Tuple.of(
                            now.minusSeconds(EVENT_IDS_KEPT_FOR_HOURS * 3600L)
                                .atOffset(ZoneOffset.UTC)))
                    .map(events -> windows.rowCount()));
  }
}
