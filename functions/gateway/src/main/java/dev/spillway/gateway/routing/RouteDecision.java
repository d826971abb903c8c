package dev.spillway.gateway.routing;

import java.util.List;

/**
 * What the routing stage decided for one request.
 *
 * @param candidates the targets to try, first choice first; never empty
 * @param category the task category the decision was made for (null: a route without quality
 *     routing, or a request whose category could not be told)
 * @param reason why the first candidate was chosen (null for configured-order routes): {@code
 *     floor}, {@code uncalibrated-category}, {@code no-category}, {@code fallback-timeout}, {@code
 *     fallback-error}, {@code breaker}
 * @param strongest the route's strongest candidate, what the request would have cost without
 *     quality routing (null for configured-order routes)
 */
public record RouteDecision(
    List<Target> candidates, String category, String reason, Target strongest) {

  public RouteDecision {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a routing decision needs a candidate");
    }
  }

  /** The route's targets in configured order: no quality routing. */
  public static RouteDecision configured(Route route) {
    return new RouteDecision(route.targets(), null, null, null);
  }
}
