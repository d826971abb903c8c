package dev.spillway.gateway.routing;

import java.util.List;

/**
 * A client-facing model name, the targets that serve it in configured order of preference, and how
 * requests to it are dispatched.
 */
public record Route(String name, List<Target> targets, RouteRules rules) {

  public Route {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("route " + name + " has no targets");
    }
  }
}
