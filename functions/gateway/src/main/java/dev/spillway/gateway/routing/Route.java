package dev.spillway.gateway.routing;

import java.util.List;

/**
 * A client-facing model name, the targets that serve it in configured order of preference, how
 * requests to it are dispatched, and, for an {@code auto} route, how it chooses among them by
 * quality and price.
 *
 * @param auto the route's quality routing; null for a route that tries its targets in order
 */
public record Route(String name, List<Target> targets, RouteRules rules, AutoRouting auto) {

  public Route {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("route " + name + " has no targets");
    }
    if (auto != null && targets.size() < 2) {
      throw new IllegalArgumentException(
          "route " + name + " routes by quality and needs at least two targets");
    }
  }

  /** A route that tries its targets in configured order. */
  public Route(String name, List<Target> targets, RouteRules rules) {
    this(name, targets, rules, null);
  }
}
