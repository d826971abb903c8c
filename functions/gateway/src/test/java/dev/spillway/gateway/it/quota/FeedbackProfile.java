package dev.spillway.gateway.it.quota;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link QuotaProfile} with the online half of quality routing at a test's scale: three judged
 * requests per target are enough to move a category, and the feedback sums are read when the test
 * asks.
 */
public class FeedbackProfile extends QuotaProfile {

  /**
   * An {@code auto} route of this run alone (the quota function's feedback outlives a run): the
   * shipped router, a 50 % floor, a cheap and a strong simulated target.
   */
  public static final String ROUTE = "fb-" + RUN;

  /** The same route with every cheaply served request shadowed on its strong target. */
  public static final String SHADOWED = "sh-" + RUN;

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    // The test reads the sums itself (QualityRefresh); the schedule stays out of its way.
    config.put("gateway.routing-quality.refresh", "1h");
    config.put("gateway.routing-quality.min-feedback", "3");
    autoRoute(config, ROUTE);
    autoRoute(config, SHADOWED);
    config.put("gateway.routes.\"" + SHADOWED + "\".auto.shadow.rate", "1");
    return config;
  }

  /** A cheap and a strong simulated target, the shipped router, a 50 % floor. */
  private static void autoRoute(Map<String, String> config, String name) {
    String route = "gateway.routes.\"" + name + "\".";
    config.put(route + "targets[0].provider", "openai");
    config.put(route + "targets[0].model", "cheap-model");
    config.put(route + "targets[0].input-usd-per-mtok", "0.15");
    config.put(route + "targets[1].provider", "openai");
    config.put(route + "targets[1].model", "strong-model");
    config.put(route + "targets[1].input-usd-per-mtok", "2.50");
    config.put(route + "auto.router", "classpath:routers/mmlu-ridge/router.json");
    config.put(route + "auto.default-floor", "0.5");
  }
}
