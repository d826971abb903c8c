package dev.spillway.gateway.health;

import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteTable;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * {@code GET /q/health/group/providers}: every breaker's state and each route's usable targets,
 * DOWN while some route has no target whose breaker lets requests through. For dashboards and
 * alerts, never for a load balancer's readiness (see {@link ServingReadinessCheck}).
 */
@HealthGroup("providers")
@ApplicationScoped
public class ProvidersHealthCheck implements HealthCheck {

  private final RouteTable routes;
  private final CircuitBreakers breakers;

  public ProvidersHealthCheck(RouteTable routes, CircuitBreakers breakers) {
    this.routes = routes;
    this.breakers = breakers;
  }

  @Override
  public HealthCheckResponse call() {
    boolean everyRouteServes = true;
    HealthCheckResponseBuilder response = HealthCheckResponse.named("providers");
    for (Route route : routes.all()) {
      long usable = route.targets().stream().filter(t -> !breakers.isOpen(t)).count();
      everyRouteServes &= usable > 0;
      response.withData(
          "route " + route.name(), usable + " of " + route.targets().size() + " targets usable");
    }
    breakers.states().forEach((name, state) -> response.withData("breaker " + name, state.name()));
    return response.status(everyRouteServes).build();
  }
}
