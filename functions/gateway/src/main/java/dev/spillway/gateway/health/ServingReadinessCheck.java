package dev.spillway.gateway.health;

import dev.spillway.gateway.routing.RouteTable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready means "this instance can serve": it started, its routes are built, its event loops answer
 * (this check runs on one). Providers' health is deliberately not part of it: in a provider outage
 * every replica would go unready at once, and the load balancer would answer clients with its own
 * bare 503 instead of the gateway's, which says which model is cut off and when to retry. Breaker
 * states are in the {@code providers} health group ({@link ProvidersHealthCheck}).
 */
@Readiness
@ApplicationScoped
public class ServingReadinessCheck implements HealthCheck {

  private final RouteTable routes;

  public ServingReadinessCheck(RouteTable routes) {
    this.routes = routes;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("serving")
        .withData("routes", routes.all().size())
        .up()
        .build();
  }
}
