package dev.spillway.quota.feedback;

import dev.spillway.quota.ResourceId;
import dev.spillway.quota.api.JsonBodies;
import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.auth.Authenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * The gateways' quality-routing endpoints (service key): {@code POST /feedback} records a tenant's
 * score for one of its requests, {@code GET /routing/quality} returns the sums per route, category
 * and model that every gateway instance derives the same quality estimates from.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

  /** The longest window a quality estimate may span. */
  static final int MAX_DAYS = 90;

  static final int MAX_COMMENT_CHARS = 2_000;

  private final Authenticator auth;
  private final FeedbackStore store;
  private final JsonBodies bodies;

  public FeedbackResource(Authenticator auth, FeedbackStore store, JsonBodies bodies) {
    this.auth = auth;
    this.store = store;
    this.bodies = bodies;
  }

  @POST
  @Path("feedback")
  @Consumes(MediaType.APPLICATION_JSON)
  public Uni<FeedbackResponse> feedback(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext raw) {
    auth.requireService(authorization);
    FeedbackRequest request = bodies.read(raw, FeedbackRequest.class);
    if (request == null || request.tenant() == null || !ResourceId.isValidName(request.tenant())) {
      throw QuotaException.invalid("Field 'tenant' must name a tenant.");
    }
    if (request.requestId() == null
        || request.requestId().isBlank()
        || request.requestId().length() > 128) {
      throw QuotaException.invalid(
          "Field 'request_id' must be a request id (1 to 128 characters).");
    }
    if (!(request.score() >= 0 && request.score() <= 1)) {
      throw QuotaException.invalid("Field 'score' must be a number from 0 to 1.");
    }
    String source = request.source() == null ? FeedbackRequest.FEEDBACK : request.source();
    if (!source.equals(FeedbackRequest.FEEDBACK) && !source.equals(FeedbackRequest.SHADOW)) {
      throw QuotaException.invalid("Field 'source' must be 'feedback' or 'shadow'.");
    }
    if (request.comment() != null && request.comment().length() > MAX_COMMENT_CHARS) {
      throw QuotaException.invalid(
          "Field 'comment' is longer than " + MAX_COMMENT_CHARS + " characters.");
    }
    return store.record(
        new FeedbackRequest(
            request.tenant(), request.requestId(), request.score(), request.comment(), source));
  }

  @GET
  @Path("routing/quality")
  public Uni<RoutingQualityResponse> quality(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("days") Integer days) {
    auth.requireService(authorization);
    int window = days == null ? 30 : days;
    if (window < 1 || window > MAX_DAYS) {
      throw QuotaException.invalid("Parameter 'days' must be from 1 to " + MAX_DAYS + ".");
    }
    return store.quality(window).map(rows -> new RoutingQualityResponse(window, rows));
  }
}
