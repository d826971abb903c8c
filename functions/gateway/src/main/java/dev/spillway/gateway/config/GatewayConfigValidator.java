package dev.spillway.gateway.config;

import dev.spillway.gateway.auth.ApiKeyHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks what {@link GatewayConfig}'s types cannot: references between sections, value ranges, key
 * hashes. Every problem names its configuration key, and all are reported at once so an operator
 * fixes them in one go.
 */
public final class GatewayConfigValidator {

  /** The problems found; empty when the configuration is usable. */
  public List<String> problems(GatewayConfig config) {
    List<String> problems = new ArrayList<>();
    config
        .providers()
        .forEach(
            (name, provider) -> {
              String scheme = provider.baseUrl().getScheme();
              if (scheme == null
                  || !(scheme.equals("http") || scheme.equals("https"))
                  || provider.baseUrl().getHost() == null) {
                problems.add(
                    "gateway.providers." + name + ".base-url must be an absolute http(s) URL");
              }
              if (provider.maxConnections() < 1) {
                problems.add("gateway.providers." + name + ".max-connections must be at least 1");
              }
            });
    if (config.routes().isEmpty()) {
      problems.add("gateway.routes is empty: configure at least one route");
    }
    config
        .routes()
        .forEach(
            (name, route) -> {
              String prefix = "gateway.routes.\"" + name + "\".targets";
              if (route.targets().isEmpty()) {
                problems.add(prefix + " is empty: a route needs at least one target");
              }
              for (int i = 0; i < route.targets().size(); i++) {
                GatewayConfig.TargetConfig target = route.targets().get(i);
                String at = prefix + "[" + i + "]";
                if (!config.providers().containsKey(target.provider())) {
                  problems.add(
                      at + ".provider names '" + target.provider() + "', which is not configured");
                }
                if (target.inputUsdPerMtok() < 0 || target.outputUsdPerMtok() < 0) {
                  problems.add(at + " has a negative price");
                }
              }
            });
    for (Map.Entry<String, GatewayConfig.KeyConfig> key : config.keys().entrySet()) {
      if (!ApiKeyHasher.isHash(key.getKey())) {
        problems.add(
            "gateway.keys.\""
                + abbreviate(key.getKey())
                + "\" is not a lowercase hex SHA-256: configure the hash of a key, never the key");
      }
    }
    if (config.limits().maxBodyBytes() < 1024) {
      problems.add("gateway.limits.max-body-bytes must be at least 1024");
    }
    if (config.limits().defaultMaxTokens() < 1) {
      problems.add("gateway.limits.default-max-tokens must be at least 1");
    }
    if (config.events().maxInFlight() < 1) {
      problems.add("gateway.events.max-in-flight must be at least 1");
    }
    return problems;
  }

  /** Shows only the start of a misconfigured key entry, in case someone pasted a real key. */
  private static String abbreviate(String value) {
    return value.length() <= 6 ? value : value.substring(0, 6) + "…";
  }
}
