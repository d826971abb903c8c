package dev.spillway.drift.ingest;

import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.api.SampleInput;
import dev.spillway.drift.api.SamplesResponse;
import dev.spillway.drift.store.SampleStore;
import dev.spillway.drift.store.TenantSettings;
import dev.spillway.drift.store.TenantStore;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Ingests query samples into their tenant's window: the HTTP endpoint and the {@code
 * dev.spillway.query.sampled} event consumer both end here. Thread-safe.
 */
@Singleton
public class SampleIngestor {

  /** How far back a sample's time may be: older windows are history, not drift. */
  static final Duration MAX_AGE = Duration.ofDays(31);

  /** How far ahead a sample's time may be (clock skew between machines). */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);

  private final TenantStore tenants;
  private final SampleStore samples;
  private final SamplePreparer preparer;
  private final Clock clock;

  public SampleIngestor(TenantStore tenants, SampleStore samples, SamplePreparer preparer) {
    this.tenants = tenants;
    this.samples = samples;
    this.preparer = preparer;
    this.clock = Clock.systemUTC();
  }

  /**
   * Offers {@code inputs}, made at {@code at} (null: now), to the feature's window.
   *
   * @throws DriftException 404 for a tenant the drift function does not serve, 400 for bad input
   */
  public Uni<SamplesResponse> ingest(
      String tenant, String feature, List<SampleInput> inputs, Instant at) {
    return ingest(tenant, feature, inputs, at, null);
  }

  /**
   * {@link #ingest(String, String, List, Instant)} for a CloudEvent: a redelivered {@code eventId}
   * is counted once (its response says {@code accepted} 0).
   */
  public Uni<SamplesResponse> ingest(
      String tenant, String feature, List<SampleInput> inputs, Instant at, String eventId) {
    Names.require("tenant", tenant);
    Names.require("feature", feature);
    preparer.validate("samples", inputs);
    Instant now = clock.instant();
    Instant when = at == null ? now : at;
    if (when.isBefore(now.minus(MAX_AGE)) || when.isAfter(now.plus(MAX_SKEW))) {
      throw DriftException.invalid(
          "'at' must be within the last 31 days and not in the future (got " + when + ").");
    }
    return tenants
        .find(tenant)
        .map(settings -> requireTenant(settings, tenant))
        .flatMap(
            settings ->
                preparer
                    .prepare(inputs, settings.keepText())
                    .flatMap(
                        prepared ->
                            samples
                                .ingest(
                                    settings,
                                    feature,
                                    settings.windowStart(when),
                                    prepared.samples(),
                                    prepared.terms(),
                                    eventId)
                                .map(
                                    done ->
                                        new SamplesResponse(
                                            done.duplicate() ? 0 : inputs.size(),
                                            prepared.embedded(),
                                            done.windowStart(),
                                            done.seenAfter(),
                                            done.kept()))));
  }

  /** The tenant's settings, or a 404 that says how to register it. */
  public static TenantSettings requireTenant(TenantSettings settings, String tenant) {
    if (settings == null) {
      throw DriftException.notFound(
          "No tenant '" + tenant + "'. An admin registers it with PUT /tenants/" + tenant + ".");
    }
    return settings;
  }
}
