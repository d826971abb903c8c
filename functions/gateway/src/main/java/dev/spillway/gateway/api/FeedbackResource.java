package dev.spillway.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.quota.QuotaUnavailableException;
import dev.spillway.quota.feedback.FeedbackRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /v1/feedback}: a tenant judges one of its own requests — {@code {"request_id",
 * "score" (0 to 1) | "thumbs" ("up" | "down"), "comment"}} — with the same key as its chat
 * requests. The quota function keeps it beside the request's usage, and every gateway reads the
 * sums back to correct quality routing ({@link
 * dev.spillway.gateway.routing.quality.QualityMonitor}). Another tenant's request id is a 404 like
 * an unknown one; feedback needs the quota function.
 */
@Path("/v1/feedback")
@Produces(MediaType.APPLICATION_JSON)
public class FeedbackResource {

  static final int MAX_BODY_BYTES = 8_192;
  static final int MAX_COMMENT_CHARS = 2_000;

  private final RequestAuthenticator authenticator;
  private final QuotaRuntime quota;
  private final ObjectMapper mapper;

  public FeedbackResource(
      RequestAuthenticator authenticator, QuotaRuntime quota, ObjectMapper mapper) {
    this.authenticator = authenticator;
    this.quota = quota;
    this.mapper = mapper;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<ObjectNode> feedback(@HeaderParam("authorization") String authorization, byte[] body) {
    return Uni.createFrom()
        .completionStage(authenticator.authenticate(authorization))
        .flatMap(
            outcome -> {
              if (outcome instanceof RequestAuthenticator.Refused refused) {
                throw refused.error();
              }
              var client =
                  quota
                      .client()
                      .orElseThrow(
                          () ->
                              new ApiException(
                                  ApiError.QUOTA_UNAVAILABLE,
                                  "Feedback is kept by the quota function, and this gateway runs"
                                      + " without one (gateway.quota.url is unset)."));
              String tenant = ((RequestAuthenticator.Authenticated) outcome).caller().tenant();
              FeedbackRequest request = parse(tenant, body);
              return Uni.createFrom()
                  .completionStage(client.feedback(request))
                  .onFailure(CompletionException.class)
                  .transform(Throwable::getCause)
                  .onFailure(QuotaUnavailableException.class)
                  .transform(
                      e ->
                          new ApiException(
                              ApiError.QUOTA_UNAVAILABLE,
                              "The quota function, which keeps feedback, cannot be reached; retry"
                                  + " later."))
                  .map(
                      recorded -> {
                        if (recorded.isEmpty()) {
                          throw new ApiException(
                              ApiError.REQUEST_NOT_FOUND,
                              "request_id",
                              "No request '"
                                  + request.requestId()
                                  + "' of yours is known (feedback is accepted once the request's"
                                  + " usage is recorded, seconds after its answer).");
                        }
                        var r = recorded.get();
                        ObjectNode answer = mapper.createObjectNode();
                        answer.put("object", "feedback");
                        answer.put("request_id", r.requestId());
                        answer.put("score", r.score());
                        answer.put("model", r.route());
                        answer.put("category", r.category());
                        return answer;
                      });
            });
  }

  /** The body as a feedback request; every mistake is a 400 naming the field. */
  FeedbackRequest parse(String tenant, byte[] body) {
    if (body == null || body.length == 0) {
      throw invalid(null, "Send a JSON body: {\"request_id\": \"…\", \"score\": 0 to 1}.");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new ApiException(
          ApiError.BODY_TOO_LARGE,
          "The feedback body is larger than the limit of " + MAX_BODY_BYTES + " bytes.");
    }
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      throw new ApiException(ApiError.INVALID_JSON, "The request body is not valid JSON.");
    }
    if (json == null || !json.isObject()) {
      throw invalid(null, "The request body must be a JSON object.");
    }
    JsonNode id = json.get("request_id");
    if (id == null || !id.isTextual() || id.asText().isBlank() || id.asText().length() > 128) {
      throw invalid("request_id", "'request_id' must be the x-request-id of one of your requests.");
    }
    JsonNode score = json.get("score");
    JsonNode thumbs = json.get("thumbs");
    double value;
    if (score != null && thumbs != null) {
      throw invalid("score", "Send either 'score' or 'thumbs', not both.");
    } else if (score != null) {
      if (!score.isNumber() || !(score.asDouble() >= 0 && score.asDouble() <= 1)) {
        throw invalid("score", "'score' must be a number from 0 (bad) to 1 (good).");
      }
      value = score.asDouble();
    } else if (thumbs != null) {
      if (!thumbs.isTextual()
          || !(thumbs.asText().equals("up") || thumbs.asText().equals("down"))) {
        throw invalid("thumbs", "'thumbs' must be \"up\" or \"down\".");
      }
      value = thumbs.asText().equals("up") ? 1 : 0;
    } else {
      throw invalid("score", "Send 'score' (0 to 1) or 'thumbs' (\"up\" or \"down\").");
    }
    JsonNode comment = json.get("comment");
    if (comment != null
        && !comment.isNull()
        && (!comment.isTextual() || comment.asText().length() > MAX_COMMENT_CHARS)) {
      throw invalid(
          "comment", "'comment' must be text of at most " + MAX_COMMENT_CHARS + " characters.");
    }
    return new FeedbackRequest(
        tenant, id.asText(), value, comment == null || comment.isNull() ? null : comment.asText());
  }

  private static ApiException invalid(String param, String message) {
    return new ApiException(ApiError.INVALID_REQUEST, param, message);
  }
}
