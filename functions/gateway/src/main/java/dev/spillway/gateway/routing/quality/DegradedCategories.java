package dev.spillway.gateway.routing.quality;

import dev.spillway.gateway.routing.Route;

/**
 * Which categories of {@code auto} routes measured quality has found below their floor, and the
 * raised floor they are routed with meanwhile. Thread-safe and non-blocking.
 */
public interface DegradedCategories {

  /** Nothing is degraded: every category keeps its configured floor. */
  DegradedCategories NONE = (route, category, configured) -> configured;

  /** The floor to route a category with: {@code configured}, or higher while it is degraded. */
  double floor(Route route, String category, double configured);
}
