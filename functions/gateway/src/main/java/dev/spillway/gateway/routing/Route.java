package dev.spillway.gateway.routing;

import java.util.List;

/** A client-facing model name and the targets that serve it, in configured order of preference. */
public record Route(String name, List<Target> targets) {

  public Route {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("route " + name + " has no targets");
    }
  }
}
