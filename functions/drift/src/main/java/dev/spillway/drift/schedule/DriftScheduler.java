package dev.spillway.drift.schedule;

import dev.spillway.drift.report.ReportRunner;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Local scheduled runs ({@code drift.schedule.every}, {@code off} to disable): the same run as
 * {@link DriftRunFunction}, which a PingSource or EventBridge schedule calls when deployed (then
 * set {@code drift.schedule.every=off} so that replicas do not each run it).
 */
@Singleton
public class DriftScheduler {

  private final ReportRunner runner;

  public DriftScheduler(ReportRunner runner) {
    this.runner = runner;
  }

  @Scheduled(
      identity = "drift-reports",
      every = "${drift.schedule.every}",
      delayed = "30s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  Uni<Void> run() {
    return runner
        .runDue()
        .invoke(
            reports -> {
              if (reports > 0) {
                Log.infof("scheduled drift run made %d reports", reports);
              }
            })
        .replaceWithVoid();
  }
}
