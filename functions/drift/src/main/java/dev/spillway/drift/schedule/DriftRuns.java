package dev.spillway.drift.schedule;

import dev.spillway.drift.report.ReportRunner;
import dev.spillway.events.EventTypes;
import dev.spillway.lambda.events.EventConsumer;
import dev.spillway.lambda.events.IncomingEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * A scheduled drift run on the Lambda pass-through path: an EventBridge Scheduler schedule whose
 * input is a {@code dev.spillway.drift.run-requested} CloudEvent, or an EventBridge schedule rule's
 * {@code Scheduled Event}. Every feature with a reference gets a report on its latest ended window,
 * once ({@link ReportRunner#runDue()}), so a schedule that fires twice costs nothing. Thread-safe.
 */
@Singleton
public class DriftRuns implements EventConsumer {

  private final ReportRunner runner;

  public DriftRuns(ReportRunner runner) {
    this.runner = runner;
  }

  @Override
  public Set<String> types() {
    return Set.of(
        EventTypes.DRIFT_RUN_REQUESTED, EventTypes.EVENTBRIDGE_SCHEDULED, EventTypes.KNATIVE_PING);
  }

  @Override
  public Uni<Void> consume(IncomingEvent event) {
    return runner
        .runDue()
        .invoke(reports -> Log.infof("drift run %s: %d report(s)", event.id(), reports))
        .replaceWithVoid();
  }
}
