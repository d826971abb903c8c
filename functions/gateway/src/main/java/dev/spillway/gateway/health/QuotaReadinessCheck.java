package dev.spillway.gateway.health;

import dev.spillway.gateway.config.GatewayConfig;
import dev.spillway.gateway.quota.LeaseManager;
import dev.spillway.gateway.quota.QuotaRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The connection to the quota function. UP while it is reachable, and also while it is not but some
 * tier's policy is {@code fail-open}: that instance still serves (up to its safety limit), and
 * taking every gateway out of its load balancer because the quota function is down would turn a
 * quota outage into a full outage. DOWN only when it is unreachable and every tier fails closed.
 * The data always says the state, so an operator sees {@code unreachable} on an UP instance.
 */
@Readiness
@ApplicationScoped
public class QuotaReadinessCheck implements HealthCheck {

  private final QuotaRuntime quota;
  private final GatewayConfig.Unreachable policies;

  public QuotaReadinessCheck(QuotaRuntime quota, GatewayConfig config) {
    this.quota = quota;
    this.policies = config.quota().unreachable();
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("quota");
    if (!quota.enabled()) {
      return response.up().withData("quota", "off (keys from gateway.keys)").build();
    }
    LeaseManager leases = quota.leases();
    LeaseManager.Connection connection = leases.connection();
    boolean anyOpen =
        policies.interactive() == GatewayConfig.UnreachablePolicy.FAIL_OPEN
            || policies.standard() == GatewayConfig.UnreachablePolicy.FAIL_OPEN
            || policies.batch() == GatewayConfig.UnreachablePolicy.FAIL_OPEN;
    response
        .withData("connection", connection.name().toLowerCase(java.util.Locale.ROOT))
        .withData("instance", leases.instance())
        .withData("leases", leases.leases().size())
        .withData("interactive", policies.interactive().name())
        .withData("standard", policies.standard().name())
        .withData("batch", policies.batch().name());
    boolean up = connection != LeaseManager.Connection.UNREACHABLE || anyOpen;
    return response.status(up).build();
  }
}
