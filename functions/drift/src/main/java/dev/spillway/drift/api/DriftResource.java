package dev.spillway.drift.api;

import dev.spillway.drift.auth.Authenticator;
import dev.spillway.drift.auth.Caller;
import dev.spillway.drift.ingest.Names;
import dev.spillway.drift.ingest.SampleIngestor;
import dev.spillway.drift.ingest.SamplePreparer;
import dev.spillway.drift.report.ReportPage;
import dev.spillway.drift.report.ReportRunner;
import dev.spillway.drift.store.CorpusStore;
import dev.spillway.drift.store.ReferenceStore;
import dev.spillway.drift.store.ReportStore;
import dev.spillway.drift.store.SampleStore;
import dev.spillway.drift.store.TenantSettings;
import dev.spillway.drift.store.TenantStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * The drift function's HTTP API: tenants (admin), and per tenant and feature its samples, windows,
 * reference, corpus sample and reports. A tenant's key reaches only that tenant's data; the admin
 * key reaches all. Thin: each method authenticates, validates names and hands off. Endpoints that
 * take samples are {@link Blocking}: their bodies (up to 16 MB of JSON) are parsed on a worker
 * thread, not an event loop.
 */
@Path("/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DriftResource {

  /** Most samples of a reference (reports score a subsample of drift.scoring.max-samples). */
  static final int MAX_REFERENCE_SAMPLES = 10_000;

  /** Most documents of one feature's corpus sample (the HNSW index is shared by every tenant). */
  static final int MAX_CORPUS_DOCUMENTS = 100_000;

  private final Authenticator auth;
  private final TenantStore tenants;
  private final SampleStore samples;
  private final ReferenceStore references;
  private final CorpusStore corpus;
  private final ReportStore reports;
  private final SampleIngestor ingestor;
  private final SamplePreparer preparer;
  private final ReportRunner runner;
  private final TenantRequests tenantRequests;
  private final JsonBodies bodies;
  private final dev.spillway.drift.metrics.DriftMetrics metrics;

  public DriftResource(
      Authenticator auth,
      TenantStore tenants,
      SampleStore samples,
      ReferenceStore references,
      CorpusStore corpus,
      ReportStore reports,
      SampleIngestor ingestor,
      SamplePreparer preparer,
      ReportRunner runner,
      TenantRequests tenantRequests,
      JsonBodies bodies,
      dev.spillway.drift.metrics.DriftMetrics metrics) {
    this.auth = auth;
    this.tenants = tenants;
    this.samples = samples;
    this.references = references;
    this.corpus = corpus;
    this.reports = reports;
    this.ingestor = ingestor;
    this.preparer = preparer;
    this.runner = runner;
    this.tenantRequests = tenantRequests;
    this.bodies = bodies;
    this.metrics = metrics;
  }

  @GET
  public Uni<List<TenantResponse>> listTenants(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    return auth.admin(authorization)
        .flatMap(admin -> tenants.all())
        .map(all -> all.stream().map(TenantResponse::of).toList());
  }

  @PUT
  @Path("{tenant}")
  public Uni<Response> putTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @Context RoutingContext raw) {
    Names.require("tenant", tenant);
    return auth.admin(authorization)
        .map(
            admin -> tenantRequests.settings(tenant, bodies.readOptional(raw, TenantRequest.class)))
        .flatMap(tenants::put)
        .map(
            saved ->
                Response.status(saved.created() ? 201 : 200)
                    .entity(TenantResponse.of(saved.settings()))
                    .build());
  }

  @GET
  @Path("{tenant}")
  public Uni<TenantResponse> getTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant) {
    return tenant(authorization, tenant).map(TenantResponse::of);
  }

  @DELETE
  @Path("{tenant}")
  public Uni<Response> deleteTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant) {
    Names.require("tenant", tenant);
    return auth.admin(authorization)
        .flatMap(admin -> tenants.delete(tenant))
        .map(
            deleted -> {
              if (!deleted) {
                throw DriftException.notFound("No tenant '" + tenant + "'.");
              }
              return Response.noContent().build();
            });
  }

  @POST
  @Path("{tenant}/features/{feature}/samples")
  @Blocking
  public Uni<Response> postSamples(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @Context RoutingContext raw) {
    SamplesRequest body = bodies.read(raw, SamplesRequest.class);
    Names.require("feature", feature);
    return access(authorization, tenant)
        .flatMap(caller -> ingestor.ingest(tenant, feature, body.samples(), body.at()))
        .invoke(done -> metrics.samples("http", "accepted", done.accepted()))
        .map(done -> Response.accepted(done).build());
  }

  @GET
  @Path("{tenant}/features/{feature}/windows")
  public Uni<List<SampleStore.Window>> windows(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @QueryParam("limit") String limit) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> samples.windows(tenant, feature, limit(limit)));
  }

  @GET
  @Path("{tenant}/features/{feature}/reference")
  public Uni<ReferenceResponse> getReference(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> references.find(tenant, feature))
        .map(summary -> reference(tenant, feature, summary));
  }

  @PUT
  @Path("{tenant}/features/{feature}/reference")
  @Blocking
  public Uni<ReferenceResponse> putReference(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @Context RoutingContext raw) {
    ReferenceRequest body = bodies.read(raw, ReferenceRequest.class);
    if ((body.window() == null) == (body.samples() == null)) {
      throw DriftException.invalid(
          "Send exactly one of 'window' (a window to pin) and 'samples' (a reference set).");
    }
    if (body.samples() != null) {
      preparer.validate("samples", body.samples());
    }
    return tenant(authorization, tenant, feature)
        .flatMap(
            settings ->
                body.window() != null
                    ? pinWindow(settings, feature, body.window())
                    : uploadReference(settings, feature, body.samples()))
        .map(summary -> ReferenceResponse.of(tenant, feature, summary));
  }

  @POST
  @Path("{tenant}/features/{feature}/reference/samples")
  @Blocking
  public Uni<ReferenceResponse> appendReference(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @Context RoutingContext raw) {
    SamplesRequest body = bodies.read(raw, SamplesRequest.class);
    preparer.validate("samples", body.samples());
    return tenant(authorization, tenant, feature)
        .flatMap(
            settings ->
                references
                    .find(tenant, feature)
                    .invoke(
                        existing -> {
                          int total =
                              (existing == null ? 0 : existing.samples()) + body.samples().size();
                          if (total > MAX_REFERENCE_SAMPLES) {
                            throw DriftException.unprocessable(
                                "A reference holds at most "
                                    + MAX_REFERENCE_SAMPLES
                                    + " samples; this would make it "
                                    + total
                                    + ".");
                          }
                        })
                    .flatMap(existing -> preparer.prepare(body.samples(), settings.keepText()))
                    .flatMap(
                        prepared ->
                            references.append(
                                tenant, feature, prepared.samples(), prepared.terms())))
        .map(summary -> ReferenceResponse.of(tenant, feature, summary));
  }

  @DELETE
  @Path("{tenant}/features/{feature}/reference")
  public Uni<Response> deleteReference(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> references.delete(tenant, feature))
        .map(
            deleted -> {
              if (!deleted) {
                throw DriftException.notFound("Feature '" + feature + "' has no reference.");
              }
              return Response.noContent().build();
            });
  }

  @GET
  @Path("{tenant}/features/{feature}/corpus")
  public Uni<Map<String, Long>> getCorpus(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> corpus.count(tenant, feature))
        .map(n -> Map.of("documents", n));
  }

  @POST
  @Path("{tenant}/features/{feature}/corpus")
  @Blocking
  public Uni<Map<String, Long>> postCorpus(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @Context RoutingContext raw) {
    CorpusRequest body = bodies.read(raw, CorpusRequest.class);
    preparer.validate("documents", body.documents());
    return tenant(authorization, tenant, feature)
        .flatMap(
            settings ->
                corpus
                    .count(tenant, feature)
                    .invoke(
                        existing -> {
                          if (existing + body.documents().size() > MAX_CORPUS_DOCUMENTS) {
                            throw DriftException.unprocessable(
                                "A corpus sample holds at most "
                                    + MAX_CORPUS_DOCUMENTS
                                    + " documents per feature; it has "
                                    + existing
                                    + ".");
                          }
                        })
                    .flatMap(n -> preparer.prepare(body.documents(), settings.keepText()))
                    .flatMap(prepared -> corpus.add(tenant, feature, prepared.samples())))
        .map(n -> Map.of("documents", n));
  }

  @DELETE
  @Path("{tenant}/features/{feature}/corpus")
  public Uni<Map<String, Integer>> deleteCorpus(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> corpus.delete(tenant, feature))
        .map(n -> Map.of("deleted", n));
  }

  @POST
  @Path("{tenant}/features/{feature}/reports")
  public Uni<Response> runReport(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @Context RoutingContext raw) {
    ReportRequest request = bodies.readOptional(raw, ReportRequest.class);
    return tenant(authorization, tenant, feature)
        .flatMap(
            settings -> runner.run(settings, feature, request == null ? null : request.window()))
        .map(report -> Response.status(201).entity(report).build());
  }

  @GET
  @Path("{tenant}/features/{feature}/reports")
  public Uni<List<ReportSummary>> listReports(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @QueryParam("limit") String limit) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> reports.list(tenant, feature, limit(limit)))
        .map(all -> all.stream().map(ReportSummary::of).toList());
  }

  @GET
  @Path("{tenant}/features/{feature}/reports/{id}")
  public Uni<Response> getReport(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @PathParam("id") String reportId) {
    long id;
    try {
      id = Long.parseLong(reportId);
    } catch (NumberFormatException e) {
      throw DriftException.notFound("No report '" + reportId + "' for feature '" + feature + "'.");
    }
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> reports.find(tenant, feature, id))
        .map(
            stored -> {
              if (stored == null) {
                throw DriftException.notFound(
                    "No report " + id + " for feature '" + feature + "'.");
              }
              return Response.ok(stored.body(), MediaType.APPLICATION_JSON).build();
            });
  }

  @GET
  @Path("{tenant}/features/{feature}/reports.html")
  @Produces(MediaType.TEXT_HTML)
  public Uni<Response> reportPage(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @QueryParam("limit") String limit) {
    return tenant(authorization, tenant, feature)
        .flatMap(settings -> reports.list(tenant, feature, limit(limit)))
        .map(
            all ->
                Response.ok(ReportPage.render(tenant, feature, all), "text/html; charset=utf-8")
                    .build());
  }

  private Uni<ReferenceStore.Summary> pinWindow(
      TenantSettings settings, String feature, java.time.Instant window) {
    String tenant = settings.name();
    return samples
        .window(tenant, feature, window)
        .flatMap(
            found -> {
              if (found == null) {
                throw DriftException.notFound(
                    "Feature '" + feature + "' has no window starting at " + window + ".");
              }
              if (found.kept() < settings.minSamples()) {
                throw DriftException.unprocessable(
                    "The window starting at "
                        + window
                        + " kept "
                        + found.kept()
                        + " samples; a reference needs at least "
                        + settings.minSamples()
                        + " (the tenant's min_samples).");
              }
              return references.pinWindow(tenant, feature, window);
            });
  }

  private Uni<ReferenceStore.Summary> uploadReference(
      TenantSettings settings, String feature, List<SampleInput> inputs) {
    if (inputs.size() < settings.minSamples()) {
      throw DriftException.unprocessable(
          "A reference needs at least "
              + settings.minSamples()
              + " samples (the tenant's min_samples); got "
              + inputs.size()
              + ". Upload more, or add to it with POST …/reference/samples.");
    }
    return preparer
        .prepare(inputs, settings.keepText())
        .flatMap(
            prepared ->
                references.replaceWithUploaded(
                    settings.name(), feature, prepared.samples(), prepared.terms()));
  }

  private Uni<Caller> access(String authorization, String tenant) {
    Names.require("tenant", tenant);
    return auth.caller(authorization).invoke(caller -> caller.requireAccess(tenant));
  }

  /** {@link #tenant(String, String)} for a path that names a feature too (checked first). */
  private Uni<TenantSettings> tenant(String authorization, String tenant, String feature) {
    Names.require("feature", feature);
    return tenant(authorization, tenant);
  }

  /** The caller's access to {@code tenant}, and the tenant's settings (404 when unknown). */
  private Uni<TenantSettings> tenant(String authorization, String tenant) {
    return access(authorization, tenant)
        .flatMap(caller -> tenants.find(tenant))
        .map(settings -> SampleIngestor.requireTenant(settings, tenant));
  }

  private static ReferenceResponse reference(
      String tenant, String feature, ReferenceStore.Summary summary) {
    if (summary == null) {
      throw DriftException.notFound("Feature '" + feature + "' has no reference.");
    }
    return ReferenceResponse.of(tenant, feature, summary);
  }

  private static int limit(String limit) {
    if (limit == null) {
      return 50;
    }
    try {
      int value = Integer.parseInt(limit.trim());
      if (value >= 1 && value <= 1000) {
        return value;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw DriftException.invalid("'limit' must be a whole number between 1 and 1000.");
  }
}
