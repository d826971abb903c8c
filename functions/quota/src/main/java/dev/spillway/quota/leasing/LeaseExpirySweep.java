package dev.spillway.quota.leasing;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;

/**
 * Returns what crashed or disconnected instances held: deletes leases past their validity (their
 * allowance simply stops counting) and gives a {@code concurrent-requests} lease's requests in
 * flight back to its window; also drops windows that ended over an hour ago.
 *
 * <p>It locks the affected windows first, in the same order as lease calls do, so that it never
 * deadlocks with them and never deletes a lease that a call is renewing.
 */
@Singleton
public class LeaseExpirySweep {

  /** Ended windows are kept this long for inspection before they are dropped. */
  private static final long KEEP_ENDED_WINDOWS_MS = 3_600_000L;

  private final Pool pool;
  private final QuotaMetrics metrics;

  public LeaseExpirySweep(Pool pool, QuotaMetrics metrics) {
    this.pool = pool;
    this.metrics = metrics;
  }

  @Scheduled(
      every = "${quota.expiry-sweep}",
      delayed = "${quota.expiry-sweep}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> sweep() {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "select 1 from budget_window w where (w.resource, w.window_start) in"
                            + " (select resource, window_start from lease where expires_at <"
                            + " now()) order by w.resource, w.window_start for update")
                    .execute()
                    .flatMap(
                        locked ->
                            locked.rowCount() == 0
                                ? Uni.createFrom().item(0L)
                                : conn.preparedQuery(
                                        "with expired as (delete from lease where expires_at <"
                                            + " now() returning resource, window_start,"
                                            + " in_flight), returned as (update budget_window w"
                                            + " set used = w.used - e.total from (select"
                                            + " resource, window_start, sum(in_flight) as total"
                                            + " from expired where in_flight <> 0 group by 1, 2)"
                                            + " e where w.resource = e.resource and"
                                            + " w.window_start = e.window_start) select count(*)"
                                            + " as n from expired")
                                    .execute()
                                    .map(rows -> rows.iterator().next().getLong("n")))
                    .flatMap(
                        n ->
                            conn.preparedQuery(
                                    "delete from budget_window where window_start > 0 and"
                                        + " window_end < $1")
                                .execute(
                                    Tuple.of(System.currentTimeMillis() - KEEP_ENDED_WINDOWS_MS))
                                .replaceWith(n)))
        .invoke(
            n -> {
              if (n > 0) {
                metrics.expired(n);
                Log.debugf("%d expired leases returned", n);
              }
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              // The next sweep retries; a lost round only delays the return by one interval.
              Log.warnf("lease expiry sweep failed: %s", failure.getMessage());
              return 0L;
            })
        .replaceWithVoid();
  }
}
