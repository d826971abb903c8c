package dev.spillway.quota.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The feedback on one route's requests of one category served by one upstream model, over the
 * window asked for: what every gateway instance computes the same quality estimate from.
 *
 * @param source {@code feedback} (tenants' judgements) or {@code shadow} (agreement with the
 *     strongest target's answer)
 * @param feedback how many requests were judged
 * @param scoreSum the sum of their scores (each 0 to 1)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CategoryQuality(
    String route, String category, String model, String source, long feedback, double scoreSum) {

  /** Tenants' feedback. */
  public CategoryQuality(
      String route, String category, String model, long feedback, double scoreSum) {
    this(route, category, model, FeedbackRequest.FEEDBACK, feedback, scoreSum);
  }
}
