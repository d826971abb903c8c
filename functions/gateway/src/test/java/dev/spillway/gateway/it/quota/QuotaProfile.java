package dev.spillway.gateway.it.quota;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The gateway with quota enforcement against the real quota function (plus the upstream simulator
 * every gateway test has). Renewal waits are generous so that a loaded test machine does not turn a
 * slow first renewal into a fail-open admission. The provider {@code capture} is billed to a
 * provider account of this run ({@link #ACCOUNT}), so a test can limit it.
 */
public class QuotaProfile implements QuarkusTestProfile {

  /**
   * A suffix unique to this JVM (the quota function's data outlives a test class). Kept in a system
   * property because Quarkus loads this class in more than one class loader, and the gateway's
   * configuration and the test must agree on it.
   */
  public static final String RUN = run();

  private static synchronized String run() {
    String run = System.getProperty("spillway.quota-it.run");
    if (run == null) {
      run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
      System.setProperty("spillway.quota-it.run", run);
    }
    return run;
  }

  public static final String ACCOUNT = "acct-" + RUN;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.ofEntries(
        Map.entry("gateway.quota.renewal-wait", "3s"),
        Map.entry("gateway.quota.check-interval", "50ms"),
        Map.entry("gateway.quota.negative-cache-for", "1s"),
        Map.entry("gateway.quota.request-timeout", "3s"),
        Map.entry("gateway.providers.capture.account", ACCOUNT),
        Map.entry("gateway.routes.\"acct-route\".targets[0].provider", "capture"),
        Map.entry("gateway.routes.\"acct-route\".targets[0].model", "acct-model-" + RUN),
        Map.entry("gateway.routes.\"acct-route\".targets[1].provider", "openai"),
        Map.entry("gateway.routes.\"acct-route\".targets[1].model", "gpt-4o-mini"),
        Map.entry("gateway.routes.\"slow-quota\".targets[0].provider", "openai"),
        Map.entry("gateway.routes.\"slow-quota\".targets[0].model", "gpt-4o-mini@ttft=1500"),
        Map.entry("gateway.routes.\"acct-only\".targets[0].provider", "capture"),
        Map.entry("gateway.routes.\"acct-only\".targets[0].model", "acct-only-" + RUN));
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(QuotaFunctionResource.class));
  }
}
