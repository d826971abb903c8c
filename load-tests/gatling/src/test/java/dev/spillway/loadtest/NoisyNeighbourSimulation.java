package dev.spillway.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Two tenants share one provider account: an {@code interactive} tenant streams at a steady rate, a
 * {@code batch} tenant offers far more than its share. The interactive tenant is first measured
 * alone (the solo baseline), then with the batch tenant running, in the same run.
 *
 * <p>Reads, besides {@link LoadTestConfig}'s properties:
 *
 * <ul>
 *   <li>{@code interactiveKey}, {@code batchKey}: the two tenants' API keys (required)
 *   <li>{@code interactiveRate}: interactive streams started per second (default 10)
 *   <li>{@code batchRate}: batch requests per second (default 200)
 *   <li>{@code batchMaxTokens}: {@code max_tokens} of a batch request (default: {@code maxTokens});
 *       batch jobs ask for long answers, so a batch tenant offers its tokens in fewer, larger
 *       requests
 *   <li>{@code soloSeconds}: interactive alone (default 30)
 *   <li>{@code contendedSeconds}: both tenants (default 60)
 * </ul>
 *
 * <p>Interactive time to first token is the {@code solo ttft} and {@code contended ttft} groups (as
 * in {@link StreamingChatSimulation}); the benchmark script compares their p95 from Gatling's
 * {@code stats.json}. A batch request succeeds with 200 or with 429 carrying a {@code Retry-After}:
 * both are the behaviour wanted of a tenant over its share; anything else fails.
 */
public class NoisyNeighbourSimulation extends Simulation {

  private static final LoadTestConfig CONFIG = LoadTestConfig.fromSystemProperties();
  private static final Properties PROPS = System.getProperties();

  private static final String INTERACTIVE_KEY = required("interactiveKey");
  private static final String BATCH_KEY = required("batchKey");
  private static final double INTERACTIVE_RATE = number("interactiveRate", 10);
  private static final double BATCH_RATE = number("batchRate", 200);
  private static final int BATCH_MAX_TOKENS = (int) number("batchMaxTokens", CONFIG.maxTokens());
  private static final int SOLO_SECONDS = (int) number("soloSeconds", 30);
  private static final int CONTENDED_SECONDS = (int) number("contendedSeconds", 60);

  private static final Pattern CONTENT = Pattern.compile("\"content\":\"[^\"]");
  private static final String DONE = "[DONE]";
  private static final Duration TIMEOUT = Duration.ofSeconds(CONFIG.timeoutSeconds());

  /** One interactive stream; the named group's cumulated time is its TTFT. */
  private static ChainBuilder interactiveStream(String ttftGroup) {
    return group(ttftGroup)
        .on(
            sse("interactive stream")
                .post("/v1/chat/completions")
                .header("Authorization", "Bearer " + INTERACTIVE_KEY)
                .body(StringBody(CONFIG.chatBody(true)))
                .await(TIMEOUT)
                .on(
                    sse.checkMessage("first token")
                        .matching(
                            jsonPath("$.data")
                                .transform(
                                    data -> data.equals(DONE) || CONTENT.matcher(data).find())
                                .is(true))
                        .check(jsonPath("$.data").not(DONE))))
        .exec(
            sse("interactive stream")
                .setCheck()
                .await(TIMEOUT)
                .on(
                    sse.checkMessage("done")
                        .matching(jsonPath("$.data").is(DONE))
                        .check(jsonPath("$.data").is(DONE))))
        .exec(sse("interactive stream").close());
  }

  private final ChainBuilder batchRequest =
      exec(
          http("batch")
              .post("/v1/chat/completions")
              .header("Authorization", "Bearer " + BATCH_KEY)
              .body(StringBody(CONFIG.withMaxTokens(BATCH_MAX_TOKENS).chatBody(false)))
              .check(status().in(200, 429))
              // A 429 without Retry-After would leave a batch client guessing.
              .checkIf((response, session) -> response.status().code() == 429)
              .then(header("Retry-After").exists()));

  private final ScenarioBuilder interactiveSolo =
      scenario("interactive solo").exec(interactiveStream("solo ttft"));
  private final ScenarioBuilder interactiveContended =
      scenario("interactive contended").exec(interactiveStream("contended ttft"));
  private final ScenarioBuilder batch = scenario("batch").exec(batchRequest);

  {
    System.out.printf(
        "NoisyNeighbourSimulation: %s interactiveRate=%.1f/s batchRate=%.1f/s batchMaxTokens=%d"
            + " soloSeconds=%d contendedSeconds=%d%n",
        CONFIG.describe(),
        INTERACTIVE_RATE,
        BATCH_RATE,
        BATCH_MAX_TOKENS,
        SOLO_SECONDS,
        CONTENDED_SECONDS);
    setUp(
            interactiveSolo.injectOpen(constantUsersPerSec(INTERACTIVE_RATE).during(SOLO_SECONDS)),
            interactiveContended.injectOpen(
                nothingFor(SOLO_SECONDS),
                constantUsersPerSec(INTERACTIVE_RATE).during(CONTENDED_SECONDS)),
            batch.injectOpen(
                nothingFor(SOLO_SECONDS),
                constantUsersPerSec(BATCH_RATE).during(CONTENDED_SECONDS)))
        .protocols(CONFIG.httpProtocol().shareConnections())
        .maxDuration(Duration.ofSeconds(SOLO_SECONDS + CONTENDED_SECONDS + 30L))
        .assertions(
            // Interactive success >= 99.9 % in both phases (Gatling counts a failed check).
            details("solo ttft").failedRequests().percent().lte(0.1),
            details("contended ttft").failedRequests().percent().lte(0.1),
            details("batch").failedRequests().percent().lte(CONFIG.maxErrorPercent()));
  }

  private static String required(String name) {
    String value = PROPS.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("-D" + name + " is required");
    }
    return value;
  }

  private static double number(String name, double fallback) {
    String value = PROPS.getProperty(name);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (!(parsed > 0)) {
        throw new IllegalArgumentException("-D" + name + " must be > 0, was " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " is not a number: " + value, e);
    }
  }
}
