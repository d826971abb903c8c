package dev.spillway.drift.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.drift.alert.DriftAlerts;
import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.config.DriftConfig;
import dev.spillway.drift.metrics.DriftMetrics;
import dev.spillway.drift.store.CorpusStore;
import dev.spillway.drift.store.ReferenceStore;
import dev.spillway.drift.store.ReportStore;
import dev.spillway.drift.store.SampleStore;
import dev.spillway.drift.store.TenantSettings;
import dev.spillway.drift.store.TenantStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Runs drift reports: loads a window and the feature's reference (vectors, term statistics, corpus
 * similarities) from PostgreSQL, scores them with {@link ReportBuilder} on a worker thread (seconds
 * of CPU must not hold an event loop), stores the report, and raises an alert when the verdict
 * flipped. The HTTP endpoint, the scheduler and the Funqy schedule entry point all call it.
 * Thread-safe.
 */
@Singleton
public class ReportRunner {

  private final TenantStore tenants;
  private final SampleStore samples;
  private final ReferenceStore references;
  private final CorpusStore corpus;
  private final ReportStore reports;
  private final DriftAlerts alerts;
  private final DriftMetrics metrics;
  private final ObjectMapper mapper;
  private final ReportBuilder.Settings settings;
  private final Clock clock = Clock.systemUTC();

  public ReportRunner(
      TenantStore tenants,
      SampleStore samples,
      ReferenceStore references,
      CorpusStore corpus,
      ReportStore reports,
      DriftAlerts alerts,
      DriftMetrics metrics,
      ObjectMapper mapper,
      DriftConfig config) {
    this.tenants = tenants;
    this.samples = samples;
    this.references = references;
    this.corpus = corpus;
    this.reports = reports;
    this.alerts = alerts;
    this.metrics = metrics;
    this.mapper = mapper;
    this.settings = ReportBuilder.Settings.of(config.scoring());
  }

  /**
   * Scores a window of a feature against its reference and stores the report.
   *
   * @param windowStart the window; null: the feature's latest
   * @throws DriftException 422 without a reference, 404 for a window that does not exist
   */
  public Uni<DriftReport> run(TenantSettings tenant, String feature, Instant windowStart) {
    return run(tenant, feature, windowStart, false);
  }

  /**
   * @param scheduled a scheduled run: nothing is stored (null) when the window already has a report
   *     made after it ended
   */
  private Uni<DriftReport> run(
      TenantSettings tenant, String feature, Instant windowStart, boolean scheduled) {
    String name = tenant.name();
    return references
        .find(name, feature)
        .flatMap(
            reference -> {
              if (reference == null) {
                throw DriftException.unprocessable(
                    "Feature '"
                        + feature
                        + "' has no reference to score against: pin a window or upload a set"
                        + " with PUT /tenants/"
                        + name
                        + "/features/"
                        + feature
                        + "/reference.");
              }
              Uni<SampleStore.Window> window =
                  windowStart != null
                      ? samples.window(name, feature, windowStart)
                      : samples
                          .windows(name, feature, 1)
                          .map(all -> all.isEmpty() ? null : all.get(0));
              return window.flatMap(
                  found -> {
                    if (found == null) {
                      throw DriftException.notFound(
                          windowStart == null
                              ? "Feature '" + feature + "' has no samples yet."
                              : "Feature '"
                                  + feature
                                  + "' has no window starting at "
                                  + windowStart
                                  + ".");
                    }
                    return score(tenant, feature, reference, found, scheduled);
                  });
            });
  }

  private Uni<DriftReport> score(
      TenantSettings tenant,
      String feature,
      ReferenceStore.Summary reference,
      SampleStore.Window window,
      boolean scheduled) {
    String name = tenant.name();
    long started = System.nanoTime();
    return Uni.combine()
        .all()
        .unis(
            references.vectors(name, feature),
            samples.vectors(name, feature, window.start()),
            references.terms(name, feature),
            samples.terms(name, feature, window.start()),
            corpus.count(name, feature))
        .asTuple()
        .flatMap(
            loaded -> {
              long documents = loaded.getItem5();
              Uni<double[]> refTop1 =
                  documents > 0 ? corpus.referenceTop1(name, feature) : Uni.createFrom().nullItem();
              Uni<double[]> curTop1 =
                  documents > 0
                      ? corpus.windowTop1(name, feature, window.start())
                      : Uni.createFrom().nullItem();
              return Uni.combine()
                  .all()
                  .unis(refTop1, curTop1)
                  .with(
                      (r, c) ->
                          new ReportBuilder.Inputs(
                              name,
                              feature,
                              new DriftReport.Window(
                                  window.start(), window.end(), window.kept(), window.seen()),
                              new DriftReport.Reference(
                                  reference.kind(), reference.pinnedWindow(), reference.samples()),
                              loaded.getItem1(),
                              loaded.getItem2(),
                              loaded.getItem3(),
                              loaded.getItem4(),
                              documents,
                              (double[]) r,
                              (double[]) c,
                              tenant.minSamples()));
            })
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(inputs -> ReportBuilder.build(inputs, settings, clock.instant()))
        .flatMap(report -> store(report, reference.createdAt(), scheduled, started));
  }

  private Uni<DriftReport> store(
      DriftReport computed, Instant referenceSince, boolean scheduled, long startedNanos) {
    return reports
        .save(computed, referenceSince, scheduled, this::json)
        .invoke(
            report -> {
              if (report != null) {
                metrics.report(
                    report.verdict(), Duration.ofNanos(System.nanoTime() - startedNanos));
                alerts.flipped(report);
              }
            });
  }

  /**
   * The scheduled run: for every feature with a reference, its latest window that has ended and has
   * no report yet. Features fail independently (one's failure is logged, the others go on).
   *
   * @return how many reports were made
   */
  public Uni<Integer> runDue() {
    Instant now = clock.instant();
    return references
        .all()
        .flatMap(
            features ->
                Multi.createFrom()
                    .iterable(features)
                    .onItem()
                    .transformToUniAndConcatenate(pair -> runDue(pair[0], pair[1], now))
                    .collect()
                    .asList()
                    .map(done -> (int) done.stream().filter(Boolean::booleanValue).count()));
  }

  private Uni<Boolean> runDue(String tenant, String feature, Instant now) {
    return tenants
        .find(tenant)
        .flatMap(
            settings -> {
              if (settings == null) {
                return Uni.createFrom().item(false);
              }
              return samples
                  .latestEnded(tenant, feature, now)
                  .flatMap(
                      ended ->
                          ended == null
                              ? Uni.createFrom().item(false)
                              : run(settings, feature, ended.start(), true).map(r -> r != null));
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf(
                  "scheduled drift report for %s/%s failed: %s",
                  tenant, feature, failure.getMessage());
              return false;
            });
  }

  private String json(DriftReport report) {
    try {
      return mapper.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a drift report could not be written as JSON", e);
    }
  }
}
