package dev.spillway.gateway.health;

import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteTable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while at least one route has a target whose circuit breakers let requests through. One
 * failing provider must not take the gateway out of its load balancer (the other routes, and the
 * failing route's fallbacks, still serve), but a gateway whose every target is cut off is better
 * drained. The data lists every breaker's state and each route's usable targets.
 */
@Readiness
@ApplicationScoped
public class RoutesReadinessCheck implements HealthCheck {

  private final RouteTable routes;
  private final CircuitBreakers breakers;

  public RoutesReadinessCheck(RouteTable routes, CircuitBreakers breakers) {
    this.routes = routes;
    this.breakers = breakers;
  }

  @Override
  public HealthCheckResponse call() {
    boolean anyUsable = false;
    HealthCheckResponseBuilder response = HealthCheckResponse.named("routes");
    for (Route route : routes.all()) {
      long usable = route.targets().stream().filter(t -> !breakers.isOpen(t)).count();
      anyUsable |= usable > 0;
      response.withData(
          "route " + route.name(), usable + " of " + route.targets().size() + " targets usable");
    }
    breakers.states().forEach((name, state) -> response.withData("breaker " + name, state.name()));
    return response.status(anyUsable).build();
  }
}
