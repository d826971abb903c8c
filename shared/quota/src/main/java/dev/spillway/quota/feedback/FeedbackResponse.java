package dev.spillway.quota.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The feedback as recorded: which request, route, category and upstream model it judges.
 *
 * @param category the task category the request was routed for (null: not quality-routed)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FeedbackResponse(
    String requestId, String route, String category, String model, double score) {}
