package dev.spillway.loadtest;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.Properties;

/**
 * Parameters every simulation reads, from {@code -D} system properties with defaults, and the HTTP
 * protocol they share.
 *
 * @param baseUrl gateway base URL ({@code baseUrl}, default {@code http://localhost:8080})
 * @param apiKey key sent as {@code Authorization: Bearer} ({@code apiKey}, default {@code
 *     sk-spillway-local-dev})
 * @param model model name to request ({@code model}, default {@code gpt-4o-mini})
 * @param users concurrent virtual users of the closed model ({@code users}, default 10)
 * @param rampSeconds seconds to ramp up to full load ({@code rampSeconds}, default 5)
 * @param durationSeconds seconds at full load after the ramp ({@code durationSeconds}, default 30)
 * @param rate requests per second of the open model; 0 uses the closed model ({@code rate}, default
 *     0)
 * @param maxTokens {@code max_tokens} of each request ({@code maxTokens}, default 64)
 * @param maxTtftP95Ms the run fails if p95 time to first token exceeds this ({@code maxTtftP95Ms},
 *     default 2000)
 * @param maxErrorPercent the run fails if more requests than this percentage fail ({@code
 *     maxErrorPercent}, default 1.0)
 * @param timeoutSeconds how long one stream may take before it counts as failed ({@code
 *     timeoutSeconds}, default 60)
 */
public record LoadTestConfig(
    String baseUrl,
    String apiKey,
    String model,
    int users,
    int rampSeconds,
    int durationSeconds,
    double rate,
    int maxTokens,
    int maxTtftP95Ms,
    double maxErrorPercent,
    int timeoutSeconds) {

  public LoadTestConfig {
    requireAtLeast("users", users, 1);
    requireAtLeast("rampSeconds", rampSeconds, 0);
    requireAtLeast("durationSeconds", durationSeconds, 1);
    requireAtLeast("maxTokens", maxTokens, 1);
    requireAtLeast("maxTtftP95Ms", maxTtftP95Ms, 1);
    requireAtLeast("timeoutSeconds", timeoutSeconds, 1);
    if (!(rate >= 0)) {
      throw new IllegalArgumentException("-Drate must be >= 0, was " + rate);
    }
    if (!(maxErrorPercent >= 0 && maxErrorPercent <= 100)) {
      throw new IllegalArgumentException(
          "-DmaxErrorPercent must be in [0, 100], was " + maxErrorPercent);
    }
  }

  /** Reads the JVM's system properties. */
  public static LoadTestConfig fromSystemProperties() {
    return fromProperties(System.getProperties());
  }

  /** Reads the given properties; an unparseable value fails with a message naming the property. */
  public static LoadTestConfig fromProperties(Properties properties) {
    return new LoadTestConfig(
        stripTrailingSlash(properties.getProperty("baseUrl", "http://localhost:8080")),
        properties.getProperty("apiKey", "sk-spillway-local-dev"),
        properties.getProperty("model", "gpt-4o-mini"),
        intProperty(properties, "users", 10),
        intProperty(properties, "rampSeconds", 5),
        intProperty(properties, "durationSeconds", 30),
        doubleProperty(properties, "rate", 0),
        intProperty(properties, "maxTokens", 64),
        intProperty(properties, "maxTtftP95Ms", 2000),
        doubleProperty(properties, "maxErrorPercent", 1.0),
        intProperty(properties, "timeoutSeconds", 60));
  }

  /**
   * The protocol every simulation uses: JSON, bearer auth, and no warm-up request, because a
   * warm-up goes to gatling.io by default and these runs must stay offline.
   */
  public HttpProtocolBuilder httpProtocol() {
    return http.baseUrl(baseUrl)
        .acceptHeader("application/json")
        .contentTypeHeader("application/json")
        .authorizationHeader("Bearer " + apiKey)
        .userAgentHeader("spillway-load-tests")
        .disableWarmUp();
  }

  /**
   * A chat request body as a Gatling EL template. The {@code randomUuid()} in the prompt makes
   * every request distinct, so no cache between Gatling and the upstream can answer it.
   */
  public String chatBody(boolean stream) {
    StringBuilder body = new StringBuilder(256).append("{\"model\":");
    appendJsonString(body, model);
    body.append(",\"max_tokens\":").append(maxTokens);
    if (stream) {
      body.append(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    }
    return body.append(
            ",\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Request #{randomUuid()}: explain in a few"
                + " sentences what a spillway does for a dam.\"}]}")
        .toString();
  }

  /** The same parameters with another {@code max_tokens}. */
  public LoadTestConfig withMaxTokens(int otherMaxTokens) {
    return new LoadTestConfig(
        baseUrl,
        apiKey,
        model,
        users,
        rampSeconds,
        durationSeconds,
        rate,
        otherMaxTokens,
        maxTtftP95Ms,
        maxErrorPercent,
        timeoutSeconds);
  }

  /** Time from the first user to the end of full load. */
  public Duration totalDuration() {
    return Duration.ofSeconds((long) rampSeconds + durationSeconds);
  }

  /** One line for the console, so a report can be matched to its parameters. */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "baseUrl=%s model=%s %s rampSeconds=%d durationSeconds=%d maxTokens=%d"
            + " maxTtftP95Ms=%d maxErrorPercent=%.2f",
        baseUrl,
        model,
        rate > 0 ? "rate=" + rate + "/s" : "users=" + users,
        rampSeconds,
        durationSeconds,
        maxTokens,
        maxTtftP95Ms,
        maxErrorPercent);
  }

  private static void appendJsonString(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        // '#' would open a Gatling EL expression; a JSON unicode escape keeps it literal.
        case '#' -> out.append("\\u0023");
        default -> {
          if (c < 0x20) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static int intProperty(Properties properties, String name, int defaultValue) {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + name + " must be a whole number, was '" + value + "'", e);
    }
  }

  private static double doubleProperty(Properties properties, String name, double defaultValue) {
    String value = properties.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be a number, was '" + value + "'", e);
    }
  }

  private static void requireAtLeast(String name, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException("-D" + name + " must be >= " + minimum + ", was " + value);
    }
  }
}
