package dev.spillway.quota.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A gateway forwards a tenant's feedback on one of its own requests ({@code POST /feedback},
 * service key). The gateway has authenticated the tenant; the quota function checks that the
 * request is that tenant's.
 *
 * @param tenant whose key sent the feedback
 * @param requestId the gateway's {@code x-request-id} of the request judged
 * @param score how good the answer was, 0 (bad) to 1 (good)
 * @param comment free text, or null; stored, never logged
 * @param source {@code feedback} (the tenant's judgement; the default) or {@code shadow} (the
 *     gateway compared the answer with the strongest target's)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedbackRequest(
    String tenant, String requestId, double score, String comment, String source) {

  public static final String FEEDBACK = "feedback";
  public static final String SHADOW = "shadow";

  /** A tenant's own judgement. */
  public FeedbackRequest(String tenant, String requestId, double score, String comment) {
    this(tenant, requestId, score, comment, FEEDBACK);
  }
}
