package dev.spillway.gateway.routing;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The configured routes by client-facing model name. Immutable, thread-safe. */
public final class RouteTable {

  private final Map<String, Route> routes;

  public RouteTable(Collection<Route> routes) {
    Map<String, Route> byName = new TreeMap<>();
    routes.forEach(r -> byName.put(r.name(), r));
    this.routes = java.util.Collections.unmodifiableMap(byName);
  }

  public Optional<Route> find(String model) {
    return Optional.ofNullable(routes.get(model));
  }

  /** All routes, sorted by name. */
  public Collection<Route> all() {
    return routes.values();
  }
}
