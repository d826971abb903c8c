package dev.spillway.gateway.it.quota;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link QuotaProfile} with the online half of quality routing fast enough for a test: feedback
 * sums read every 200 ms, and three judged requests per target enough to move a category.
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
    config.put("gateway.routing-quality.refresh", "200ms");
    config.put("gateway.routing-quality.min-feedback", "3");
    String route = "gateway.routes.\"" + ROUTE + "\".";
    config.put(route + "targets[0].provider", "openai");
    config.put(route + "targets[0].model", "cheap-model");
    config.put(route + "targets[0].input-usd-per-mtok", "0.15");
    config.put(route + "targets[1].provider", "openai");
    config.put(route + "targets[1].model", "strong-model");
    config.put(route + "targets[1].input-usd-per-mtok", "2.50");
    config.put(route + "auto.router", "classpath:routers/mmlu-ridge/router.json");
    config.put(route + "auto.default-floor", "0.5");
    String shadowed = "gateway.routes.\"" + SHADOWED + "\".";
    config.put(shadowed + "targets[0].provider", "openai");
    config.put(shadowed + "targets[0].model", "cheap-model");
    config.put(shadowed + "targets[0].input-usd-per-mtok", "0.15");
    config.put(shadowed + "targets[1].provider", "openai");
    config.put(shadowed + "targets[1].model", "strong-model");
    config.put(shadowed + "targets[1].input-usd-per-mtok", "2.50");
    config.put(shadowed + "auto.router", "classpath:routers/mmlu-ridge/router.json");
    config.put(shadowed + "auto.default-floor", "0.5");
    config.put(shadowed + "auto.shadow.rate", "1");
    return config;
  }
}
