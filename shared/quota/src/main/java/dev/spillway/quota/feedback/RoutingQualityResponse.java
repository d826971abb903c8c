package dev.spillway.quota.feedback;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * {@code GET /routing/quality}: the feedback per route, category and model over the last {@code
 * days} days.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RoutingQualityResponse(int days, List<CategoryQuality> rows) {}
