package dev.spillway.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Payload of {@code dev.spillway.routing.degraded}: a category of an {@code auto} route whose
 * measured quality fell below its floor (its traffic now routed with a raised floor), or recovered.
 *
 * @param degraded true when it fell below, false when it recovered
 * @param routedQuality the mean feedback score of the category's judged requests
 * @param routedLow its 95 % lower bound
 * @param floorQuality the floor times the strongest target's measured quality
 * @param floorApplied the floor the category is now routed with
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RoutingDegradedEvent(
    String route,
    String category,
    boolean degraded,
    long feedback,
    double routedQuality,
    double routedLow,
    double floorQuality,
    double floorApplied) {}
