package dev.spillway.gateway.config;

import dev.spillway.gateway.auth.ApiKeyHasher;
import dev.spillway.gateway.drift.SampleRates;
import dev.spillway.gateway.routing.AccountFieldPolicy;
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
    resilienceProblems(config, problems);
    quotaProblems(config, problems);
    driftProblems(config, problems);
    config.routes().forEach((name, route) -> autoProblems(name, route, problems));
    GatewayConfig.RoutingQuality quality = config.routingQuality();
    positive(problems, "gateway.routing-quality.refresh", quality.refresh());
    if (quality.windowDays() < 1 || quality.windowDays() > 90) {
      problems.add("gateway.routing-quality.window-days must be from 1 to 90");
    }
    if (quality.minFeedback() < 1) {
      problems.add("gateway.routing-quality.min-feedback must be at least 1");
    }
    if (!(quality.floorStep() > 0 && quality.floorStep() <= 1)) {
      problems.add(
          "gateway.routing-quality.floor-step must be above 0 and at most 1, got "
              + quality.floorStep());
    }
    return problems;
  }

  /**
   * An {@code auto} route's settings that can be checked without its router file (the file, and the
   * categories its floors name, are checked when it is loaded: {@link AutoRoutes}).
   */
  private static void autoProblems(
      String name, GatewayConfig.RouteConfig route, List<String> problems) {
    GatewayConfig.Auto auto = route.auto();
    String prefix = "gateway.routes.\"" + name + "\".auto";
    if (auto.router().isEmpty()) {
      if (!auto.floors().isEmpty() || auto.defaultCategory().isPresent()) {
        problems.add(
            prefix + " sets floors or a default category but no router: set " + prefix + ".router");
      }
      return;
    }
    floor(problems, prefix + ".default-floor", auto.defaultFloor());
    if (!(auto.shadow().rate() >= 0 && auto.shadow().rate() <= 1)) {
      problems.add(prefix + ".shadow.rate must be between 0 and 1, got " + auto.shadow().rate());
    }
    if (!(auto.shadow().maxUsdPerDay() >= 0) || Double.isInfinite(auto.shadow().maxUsdPerDay())) {
      problems.add(prefix + ".shadow.max-usd-per-day must be a number of dollars ≥ 0");
    }
    auto.floors()
        .forEach((category, f) -> floor(problems, prefix + ".floors.\"" + category + "\"", f));
    List<GatewayConfig.TargetConfig> targets = route.targets();
    if (targets.size() < 2) {
      problems.add(
          "gateway.routes.\""
              + name
              + "\".targets must list at least two targets (cheapest first) for quality routing");
    }
    for (int i = 1; i < targets.size(); i++) {
      if (blended(targets.get(i)) < blended(targets.get(i - 1))) {
        problems.add(
            "gateway.routes.\""
                + name
                + "\".targets must be listed cheapest first for quality routing: targets["
                + i
                + "] costs less than targets["
                + (i - 1)
                + "]");
      }
    }
    auto.classifier()
        .url()
        .ifPresent(
            url -> {
              if (url.getScheme() == null
                  || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                  || url.getHost() == null) {
                problems.add(prefix + ".classifier.url must be an absolute http(s) URL");
              }
            });
    if (auto.classifier().timeout().isNegative() || auto.classifier().timeout().isZero()) {
      problems.add(prefix + ".classifier.timeout must be positive");
    }
  }

  /** Input and output prices together: what orders targets from cheapest to dearest. */
  private static double blended(GatewayConfig.TargetConfig target) {
    return target.inputUsdPerMtok() + target.outputUsdPerMtok();
  }

  /** A quality floor: a fraction of the strongest candidate's quality, from 0 to 1. */
  private static void floor(List<String> problems, String key, double floor) {
    if (!(floor >= 0 && floor <= 1)) {
      problems.add(key + " must be a fraction between 0 and 1, got " + floor);
    }
  }

  private static void driftProblems(GatewayConfig config, List<String> problems) {
    GatewayConfig.Drift drift = config.drift();
    rate(problems, "gateway.drift.sample-rate", drift.sampleRate());
    drift
        .sampleRates()
        .forEach(
            (scope, rate) -> {
              String key = "gateway.drift.sample-rates.\"" + scope + "\"";
              if (!SampleRates.isValidScope(scope)) {
                problems.add(key + " must be keyed \"<tenant>/<feature>\" or \"<tenant>/*\"");
              }
              rate(problems, key, rate);
            });
    drift
        .sink()
        .ifPresent(
            sink -> {
              String scheme = sink.getScheme();
              if (scheme == null
                  || !(scheme.equals("http") || scheme.equals("https"))
                  || sink.getHost() == null) {
                problems.add("gateway.drift.sink must be an absolute http(s) URL");
              }
            });
  }

  /** A sampling rate: a fraction from 0 to 1 (NaN fails both comparisons). */
  private static void rate(List<String> problems, String key, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      problems.add(key + " must be between 0 and 1, got " + rate);
    }
  }

  private static void resilienceProblems(GatewayConfig config, List<String> problems) {
    positive(problems, "gateway.deadlines.first-token", config.deadlines().firstToken());
    positive(problems, "gateway.deadlines.stall", config.deadlines().stall());
    positive(problems, "gateway.deadlines.total", config.deadlines().total());
    config
        .routes()
        .forEach(
            (name, route) -> {
              String prefix = "gateway.routes.\"" + name + "\".deadlines.";
              route
                  .deadlines()
                  .firstToken()
                  .ifPresent(d -> positive(problems, prefix + "first-token", d));
              route.deadlines().stall().ifPresent(d -> positive(problems, prefix + "stall", d));
              route.deadlines().total().ifPresent(d -> positive(problems, prefix + "total", d));
            });
    config
        .routes()
        .forEach(
            (name, route) ->
                route
                    .allowedAccountFields()
                    .ifPresent(
                        fields ->
                            fields.stream()
                                .filter(f -> !AccountFieldPolicy.FIELDS.contains(f))
                                .forEach(
                                    f ->
                                        problems.add(
                                            "gateway.routes.\""
                                                + name
                                                + "\".allowed-account-fields names '"
                                                + f
                                                + "'; it may name only "
                                                + String.join(", ", AccountFieldPolicy.FIELDS)))));
    positive(problems, "gateway.concurrency.drop-timeout", config.concurrency().dropTimeout());
    if (config.validation().schemaCacheSize() < 1) {
      problems.add("gateway.validation.schema-cache-size must be at least 1");
    }
    if (config.validation().maxConstrainedAttempts() < 1) {
      problems.add("gateway.validation.max-constrained-attempts must be at least 1");
    }
    GatewayConfig.Retry retry = config.retry();
    if (retry.maxAttemptsPerTarget() < 1) {
      problems.add("gateway.retry.max-attempts-per-target must be at least 1");
    }
    if (!(retry.budgetRatio() >= 0) || retry.budgetRatio() > 10) {
      problems.add("gateway.retry.budget-ratio must be between 0 and 10");
    }
    if (retry.budgetMinPerSecond() < 0) {
      problems.add("gateway.retry.budget-min-per-second must not be negative");
    }
    if (retry.budgetWindow().toSeconds() < 1) {
      problems.add("gateway.retry.budget-window must be at least 1s");
    }
    positive(problems, "gateway.retry.backoff-base", retry.backoffBase());
    if (retry.backoffMax().compareTo(retry.backoffBase()) < 0) {
      problems.add("gateway.retry.backoff-max must not be shorter than gateway.retry.backoff-base");
    }
    double quantile = config.hedge().quantile();
    if (!(quantile > 0 && quantile < 1)) {
      problems.add("gateway.hedge.quantile must be between 0 and 1 (exclusive)");
    }
    positive(problems, "gateway.hedge.delay", config.hedge().delay());
    GatewayConfig.Breaker breaker = config.breaker();
    // SmallRye keeps the whole window per breaker: a huge one costs heap in every breaker.
    if (breaker.requestVolume() < 1 || breaker.requestVolume() > 10_000) {
      problems.add("gateway.breaker.request-volume must be between 1 and 10000");
    }
    if (!(breaker.failureRatio() > 0 && breaker.failureRatio() <= 1)) {
      problems.add("gateway.breaker.failure-ratio must be in (0, 1]");
    }
    positive(problems, "gateway.breaker.delay", breaker.delay());
    if (breaker.successThreshold() < 1) {
      problems.add("gateway.breaker.success-threshold must be at least 1");
    }
    GatewayConfig.Concurrency limits = config.concurrency();
    if (limits.minLimit() < 1
        || limits.minLimit() > limits.initialLimit()
        || limits.initialLimit() > limits.maxLimit()) {
      problems.add(
          "gateway.concurrency: need 1 <= min-limit <= initial-limit <= max-limit, got "
              + limits.minLimit()
              + " / "
              + limits.initialLimit()
              + " / "
              + limits.maxLimit());
    }
    if (limits.maxQueue() < 0) {
      problems.add("gateway.concurrency.max-queue must not be negative");
    }
    positive(problems, "gateway.concurrency.max-queue-wait", limits.maxQueueWait());
    if (config.validation().minLengthTokens() < 0) {
      problems.add("gateway.validation.min-length-tokens must not be negative");
    }
  }

  private static void quotaProblems(GatewayConfig config, List<String> problems) {
    GatewayConfig.Quota quota = config.quota();
    quota
        .url()
        .ifPresent(
            url -> {
              String scheme = url.getScheme();
              if (scheme == null
                  || !(scheme.equals("http") || scheme.equals("https"))
                  || url.getHost() == null) {
                problems.add("gateway.quota.url must be an absolute http(s) URL");
              }
              if (quota.serviceKey().filter(k -> !k.isBlank()).isEmpty()) {
                problems.add("gateway.quota.service-key must be set when gateway.quota.url is set");
              }
            });
    positive(problems, "gateway.quota.connect-timeout", quota.connectTimeout());
    positive(problems, "gateway.quota.request-timeout", quota.requestTimeout());
    positive(problems, "gateway.quota.renewal-wait", quota.renewalWait());
    positive(problems, "gateway.quota.check-interval", quota.checkInterval());
    positive(problems, "gateway.quota.default-refresh", quota.defaultRefresh());
    positive(problems, "gateway.quota.negative-cache-for", quota.negativeCacheFor());
    if (quota.keyStaleFor().isNegative()) {
      problems.add("gateway.quota.key-stale-for must not be negative: " + quota.keyStaleFor());
    }
    if (quota.keyCacheSize() < 1) {
      problems.add("gateway.quota.key-cache-size must be at least 1: " + quota.keyCacheSize());
    }
    if (quota.keyLookupConnections() < 1) {
      problems.add(
          "gateway.quota.key-lookup-connections must be at least 1: "
              + quota.keyLookupConnections());
    }
    positive(problems, "gateway.quota.reservation-margin", quota.reservationMargin());
    if (quota.defaultOutputTokens() < 1) {
      problems.add("gateway.quota.default-output-tokens must be at least 1");
    }
    if (quota.unreachable().safetyTokensPerMinute() < 0) {
      problems.add("gateway.quota.unreachable.safety-tokens-per-minute must not be negative");
    }
    config
        .providers()
        .forEach(
            (name, provider) ->
                provider
                    .account()
                    .filter(account -> !dev.spillway.quota.ResourceId.isValidName(account))
                    .ifPresent(
                        account ->
                            problems.add(
                                "gateway.providers."
                                    + name
                                    + ".account must be 1-63 lowercase letters, digits, '.', '_'"
                                    + " or '-'")));
  }

  private static void positive(List<String> problems, String key, java.time.Duration value) {
    if (value.isNegative() || value.isZero()) {
      problems.add(key + " must be positive");
    }
  }

  /** Shows only the start of a misconfigured key entry, in case someone pasted a real key. */
  private static String abbreviate(String value) {
    return value.length() <= 6 ? value : value.substring(0, 6) + "…";
  }
}
