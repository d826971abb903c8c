package dev.spillway.gateway.health;

import dev.spillway.gateway.routing.RouteTable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when at least one route is configured. Circuit-breaker state will join this check: a
 * gateway whose every target is open is not ready to take traffic.
 */
@Readiness
@ApplicationScoped
public class RoutesReadinessCheck implements HealthCheck {

  private final RouteTable routes;

  public RoutesReadinessCheck(RouteTable routes) {
    this.routes = routes;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("routes").status(!routes.all().isEmpty());
    routes.all().forEach(r -> response.withData(r.name(), r.targets().size() + " targets"));
    return response.build();
  }
}
