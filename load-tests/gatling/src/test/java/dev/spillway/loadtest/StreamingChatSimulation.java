package dev.spillway.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Streamed chat completions: time to first token and time to the end of the stream.
 *
 * <p>Gatling's SSE support posts the request ({@code sse(...).post(...)}) and checks events as they
 * arrive. Each event reaches a check as {@code {"data":"..."}}, so checks read {@code $.data}. Time
 * to first token is the {@code ttft} group: its cumulated response time is the connect request
 * (request sent to response headers) plus the {@code first token} check, whose clock starts at the
 * headers and stops at the first event with non-empty content. That sum is the TTFT a client sees
 * whether the gateway sends its headers early or holds them until the first upstream chunk. The
 * {@code done} check then waits for {@code [DONE]}; the {@code stream} group around both measures
 * the whole answer.
 */
public class StreamingChatSimulation extends Simulation {

  private static final LoadTestConfig CONFIG = LoadTestConfig.fromSystemProperties();

  /** A chunk whose delta carries at least one character of content. */
  private static final Pattern CONTENT = Pattern.compile("\"content\":\"[^\"]");

  private static final String DONE = "[DONE]";

  private static final Duration TIMEOUT = Duration.ofSeconds(CONFIG.timeoutSeconds());

  /** Opens the stream and waits for the first token; the group's cumulated time is the TTFT. */
  private final ChainBuilder firstToken =
      group("ttft")
          .on(
              sse("chat stream")
                  .post("/v1/chat/completions")
                  .body(StringBody(CONFIG.chatBody(true)))
                  .await(TIMEOUT)
                  .on(
                      sse.checkMessage("first token")
                          .matching(
                              jsonPath("$.data")
                                  .transform(
                                      data -> data.equals(DONE) || CONTENT.matcher(data).find())
                                  .is(true))
                          // [DONE] before any content fails the check at once.
                          .check(jsonPath("$.data").not(DONE))));

  /** Waits for the terminator, then closes the stream. */
  private final ChainBuilder restOfStream =
      exec(sse("chat stream")
              .setCheck()
              .await(TIMEOUT)
              .on(
                  sse.checkMessage("done")
                      .matching(jsonPath("$.data").is(DONE))
                      .check(jsonPath("$.data").is(DONE))))
          .exec(sse("close").close());

  /** One whole answer; the group's cumulated time is the full stream. */
  private final ChainBuilder streamChat = group("stream").on(firstToken, restOfStream);

  private final ScenarioBuilder streamingUsers =
      scenario("streaming chat").forever().on(streamChat);

  {
    System.out.println("StreamingChatSimulation: " + CONFIG.describe());
    setUp(
            streamingUsers.injectOpen(
                CONFIG.rampSeconds() > 0
                    ? rampUsers(CONFIG.users()).during(CONFIG.rampSeconds())
                    : atOnceUsers(CONFIG.users())))
        .protocols(CONFIG.httpProtocol())
        .maxDuration(CONFIG.totalDuration())
        .assertions(
            details("stream", "ttft").responseTime().percentile(95.0).lt(CONFIG.maxTtftP95Ms()),
            global().failedRequests().percent().lte(CONFIG.maxErrorPercent()));
  }
}
