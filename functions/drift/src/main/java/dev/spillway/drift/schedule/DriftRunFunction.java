package dev.spillway.drift.schedule;

import dev.spillway.drift.report.ReportRunner;
import dev.spillway.events.EventTypes;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.Map;

/**
 * The scheduled run's entry point on Knative: a PingSource (CloudEvent type {@code
 * dev.knative.sources.ping}), or a plain {@code POST /drift-run}, triggers the same run as the
 * local scheduler: every feature with a reference gets a report on its latest ended window, once.
 * On Lambda an EventBridge schedule reaches {@link DriftRuns} through the pass-through path.
 */
public class DriftRunFunction {

  private final ReportRunner runner;

  public DriftRunFunction(ReportRunner runner) {
    this.runner = runner;
  }

  @Funq("drift-run")
  @CloudEventMapping(trigger = EventTypes.KNATIVE_PING)
  public Uni<Map<String, Integer>> driftRun(Map<String, Object> ignored) {
    return runner
        .runDue()
        .invoke(reports -> Log.infof("drift run: %d report(s)", reports))
        .map(reports -> Map.of("reports", reports));
  }
}
