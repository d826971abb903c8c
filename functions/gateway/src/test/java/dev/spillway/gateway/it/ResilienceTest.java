package dev.spillway.gateway.it;

import static dev.spillway.gateway.it.ChatCompletionsTest.body;
import static dev.spillway.gateway.it.ChatCompletionsTest.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.dispatch.Dispatcher;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.CircuitBreakers.BreakerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chaos suite: every way a provider misbehaves, against the real upstream simulator over real
 * HTTP, with retries, hedging and breakers on (see {@link ResilienceProfile}). Each scenario checks
 * what the client sees and what the gateway did to get there (which target answered, attempts,
 * retries, hedges, timeouts, breaker transitions, as headers and counters), and that no upstream
 * request or concurrency permit is left behind. There are no upper time bounds: on a shared 2-core
 * machine they measure the machine; how fast each scenario resolves is a benchmark
 * (docs/benchmarks/resilience.md). Lower bounds stay where the behaviour is to wait (a Retry-After,
 * a deadline).
 */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class ResilienceTest {

  @Inject CircuitBreakers breakers;
  @Inject Dispatcher dispatcher;
  @Inject MeterRegistry registry;

  @TestHTTPResource("/v1/chat/completions")
  URL chatUrl;

  /** The response and how long it took, in milliseconds. */
  record Timed(Response response, long millis) {}

  static Timed timed(Supplier<Response> call) {
    long start = System.nanoTime();
    Response response = call.get();
    response.asString();
    return new Timed(response, (System.nanoTime() - start) / 1_000_000);
  }

  private static boolean warm;

  /**
   * The first requests of a fresh JVM load and compile the whole request path (about two seconds
   * here); latency bounds are about resilience, so they are taken on a warm gateway.
   */
  @BeforeEach
  void warmUp() {
    if (!warm) {
      for (int i = 0; i < 20; i++) {
        post(body("sim-openai", "\"stream\":" + (i % 2 == 0))).then().statusCode(200);
      }
      warm = true;
    }
  }

  @AfterEach
  void nothingLeaks() throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < until) {
      if (UpstreamSimulatorResource.simulator().stats().inFlight() == 0
          && dispatcher.admissions().values().stream().allMatch(a -> a.inFlight() == 0)) {
        return;
      }
      Thread.sleep(20);
    }
    assertEquals(
        0, UpstreamSimulatorResource.simulator().stats().inFlight(), "upstream requests leaked");
    dispatcher
        .admissions()
        .forEach((name, a) -> assertEquals(0, a.inFlight(), "permits leaked at " + name));
  }

  double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  double transitions(String breaker, String state) {
    return count("spillway.breaker.transitions", "breaker", breaker, "state", state);
  }

  static List<String> data(Response response) {
    return Sse.data(response.asString());
  }

  /** No chunk of the stream claims a clean finish. */
  static void assertNoStopFinish(Response response) {
    for (JsonObject chunk : Sse.chunks(response.asString())) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices != null && !choices.isEmpty()) {
        assertFalse(
            "stop".equals(choices.getJsonObject(0).getString("finish_reason")),
            "no finish_reason stop on a broken answer");
      }
    }
  }

  static JsonObject terminalError(Response response) {
    List<String> data = data(response);
    assertFalse(data.contains("[DONE]"), "a broken stream must not look complete");
    JsonObject error = new JsonObject(data.get(data.size() - 1)).getJsonObject("error");
    assertNotNull(error, "terminal event in OpenAI's error shape");
    return error;
  }

  @ParameterizedTest
  @ValueSource(strings = {"500", "503"})
  void serverErrorsFallBackAndOpenTheBreaker(String status) {
    String route = "chaos-" + status;
    String breaker = "p" + status + "/m@fault=" + status;
    String fallback = status.equals("500") ? "healthy" : "healthyant";
    int lastTenAttempts = 0;
    for (int i = 0; i < 15; i++) {
      Timed call = timed(() -> post(body(route, "")));
      call.response().then().statusCode(200).header("x-spillway-provider", fallback);
      if (i >= 5) {
        lastTenAttempts += Integer.parseInt(call.response().header("x-spillway-attempts"));
      }
    }
    assertTrue(transitions(breaker, "open") >= 1, "the breaker opened");
    // Once open, the failing target is skipped: about one upstream request per client request
    // (a half-open probe may add one).
    assertTrue(
        lastTenAttempts <= 13, "upstream requests for 10 client requests: " + lastTenAttempts);
  }

  @Test
  void aRateLimitedTargetFallsBackAtOnce() {
    double retries = count("spillway.upstream.attempts", "provider", "p429", "kind", "retry");
    Timed call = timed(() -> post(body("chaos-429", "")));
    call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    // Moved on at once: the rate-limited target was not retried after its Retry-After.
    assertEquals(retries, count("spillway.upstream.attempts", "provider", "p429", "kind", "retry"));
    assertEquals("2", call.response().header("x-spillway-attempts"));
  }

  @Test
  void theOnlyTargetIsRetriedAfterItsRetryAfterThenTheClientGetsIt() {
    double retries = count("spillway.upstream.attempts", "provider", "p429only", "kind", "retry");
    Timed call = timed(() -> post(body("chaos-429-only", "")));
    call.response().then().statusCode(429).header("retry-after", "1");
    assertTrue(call.millis() >= 950, "Retry-After honoured: " + call.millis() + " ms");
    assertEquals(
        retries + 1, count("spillway.upstream.attempts", "provider", "p429only", "kind", "retry"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"chaos-refused", "chaos-reset"})
  void connectionFailuresFallBackAndOpenTheBreaker(String route) {
    String provider = route.equals("chaos-refused") ? "prefused" : "preset";
    for (int i = 0; i < 8; i++) {
      String stream = "\"stream\":" + (i % 2 == 0);
      Timed call = timed(() -> post(body(route, stream)));
      call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    }
    assertTrue(transitions(provider, "open") >= 1, "the provider's breaker opened");
    assertEquals(BreakerState.OPEN, breakers.states().get(provider));
  }

  @Test
  void aFirstTokenStallMovesOnAtTheFirstTokenDeadline() {
    double timeouts =
        count("spillway.upstream.failures", "provider", "pstallfirst", "reason", "timeout");
    Timed call = timed(() -> post(body("chaos-stall-first", "\"stream\":true")));
    call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    assertTrue(data(call.response()).contains("[DONE]"));
    assertTrue(call.millis() >= 450, "waited for the deadline: " + call.millis() + " ms");
    assertEquals(
        timeouts + 1,
        count("spillway.upstream.failures", "provider", "pstallfirst", "reason", "timeout"),
        "a first-token timeout counts as the target's failure");
  }

  @Test
  void aMidStreamStallIsRecoveredOnTheNextTarget() {
    Timed call =
        timed(
            () ->
                post(
                    body(
                        "chaos-stall-mid",
                        "\"stream\":true,\"stream_options\":{\"include_usage\":true}")));
    call.response().then().statusCode(200);
    String sse = call.response().asString();
    assertTrue(data(call.response()).contains("[DONE]"), "one complete stream: " + sse);
    assertTrue(sse.contains(": x-spillway-recovered healthy/gpt-4o-mini"), sse);
    assertTrue(sse.contains("\"spillway_recovered\":true"), sse);
  }

  @Test
  void aMidStreamStallWithoutRecoveryEndsWithATerminalError() {
    Timed call = timed(() -> post(body("chaos-stall-mid-off", "\"stream\":true")));
    call.response().then().statusCode(200);
    JsonObject error = terminalError(call.response());
    assertEquals("upstream_timeout", error.getString("code"));
    assertNoStopFinish(call.response());
    assertTrue(call.millis() >= 450, "waited for the stall deadline: " + call.millis() + " ms");
  }

  @Test
  void streamsCutAtRandomPointsAreRecoveredIntoOneStream() {
    String request = "\"stream\":true,\"stream_options\":{\"include_usage\":true}";
    JsonObject plain = usageOf(post(body("sim-openai", request)));
    long continuations = UpstreamSimulatorResource.simulator().stats().continuations();
    for (int i = 0; i < 10; i++) {
      Timed call = timed(() -> post(body("chaos-cut", request)));
      call.response().then().statusCode(200).header("x-spillway-provider", "pcut");
      String sse = call.response().asString();
      assertTrue(data(call.response()).contains("[DONE]"), "no client-visible error: " + sse);
      assertFalse(sse.contains("\"error\""), sse);
      assertTrue(sse.contains(": x-spillway-recovered healthy/gpt-4o-mini"), sse);
      JsonObject usage = usageOf(call.response());
      assertTrue(
          usage.getInteger("prompt_tokens") > plain.getInteger("prompt_tokens"),
          "the usage covers both calls: " + usage + " vs one call " + plain);
      Set<String> ids = new java.util.HashSet<>();
      Sse.chunks(sse).forEach(c -> ids.add(c.getString("id")));
      assertEquals(1, ids.size(), "one stream id: " + ids);
    }
    assertEquals(
        continuations + 10,
        UpstreamSimulatorResource.simulator().stats().continuations(),
        "each continuation went upstream");
  }

  private static JsonObject usageOf(Response response) {
    List<JsonObject> chunks = Sse.chunks(response.asString());
    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    assertNotNull(usage, "usage chunk last: " + response.asString());
    return usage;
  }

  @Test
  void aStreamCutWithoutRecoveryEndsWithATerminalError() {
    for (int i = 0; i < 5; i++) {
      Response response = post(body("chaos-cut-off", "\"stream\":true"));
      response.then().statusCode(200);
      assertEquals("upstream_error", terminalError(response).getString("type"));
      assertNoStopFinish(response);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void anEmpty200FallsBack(boolean stream) {
    double before = count("spillway.validation.failures", "route", "chaos-empty");
    Timed call = timed(() -> post(body("chaos-empty", "\"stream\":" + stream)));
    call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    String content =
        stream
            ? Sse.content(Sse.chunks(call.response().asString()))
            : call.response().jsonPath().getString("choices[0].message.content");
    assertFalse(content.isEmpty());
    assertTrue(
        count("spillway.validation.failures", "route", "chaos-empty", "rule", "empty_content")
            > before);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void truncatedJsonInJsonModeFallsBack(boolean stream) {
    Timed call =
        timed(
            () ->
                post(
                    body(
                        "chaos-truncated-json",
                        "\"stream\":"
                            + stream
                            + ",\"response_format\":{\"type\":\"json_object\"}")));
    call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    String content =
        stream
            ? Sse.content(Sse.chunks(call.response().asString()))
            : call.response().jsonPath().getString("choices[0].message.content");
    assertNotNull(new JsonObject(content), "valid JSON: " + content);
  }

  @Test
  void jsonThatBreaksTheSchemaFallsBack() {
    String format =
        """
        "response_format":{"type":"json_schema","json_schema":{"name":"place","schema":
          {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}
        """;
    Timed call = timed(() -> post(body("chaos-schema", format)));
    call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    JsonObject answer =
        new JsonObject(call.response().jsonPath().getString("choices[0].message.content"));
    assertNotNull(answer.getString("city"), answer.encode());
    assertTrue(
        count("spillway.validation.failures", "route", "chaos-schema", "rule", "schema_mismatch")
            >= 1);
  }

  @Test
  void aSlowProviderIsHedgedAndTheHedgeWins() {
    double won = count("spillway.hedges.won", "provider", "healthy");
    Timed call = timed(() -> post(body("chaos-hedge", "\"stream\":true")));
    call.response().then().statusCode(200).header("x-spillway-provider", "healthy");
    assertTrue(data(call.response()).contains("[DONE]"));
    // The slow target answers after 1.5 s; the hedge starts at 200 ms and is what answered.
    assertEquals(won + 1, count("spillway.hedges.won", "provider", "healthy"));
  }

  @Test
  void aFlappingProviderNeverReachesTheClient() throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      post(body("chaos-flap", "")).then().statusCode(200);
      Thread.sleep(15);
    }
    String breaker = "pflap/m@fault=503,flap=300";
    assertTrue(
        transitions(breaker, "open") + transitions("pflap", "open") >= 1, "the breaker opened");
    assertTrue(
        transitions(breaker, "half_open") + transitions("pflap", "half_open") >= 1,
        "and probed again");
  }

  @Test
  void everyTargetDownIsOneCleanErrorFastThenCircuitOpen() {
    Timed first = timed(() -> post(body("chaos-all-down", "")));
    first.response().then().statusCode(502);
    assertEquals("upstream_unavailable", first.response().jsonPath().getString("error.code"));
    Timed open = null;
    for (int i = 0; i < 20 && open == null; i++) {
      double sent = count("spillway.upstream.attempts", "provider", "pdown1", "kind", "first");
      Timed call = timed(() -> post(body("chaos-all-down", "")));
      if (call.response().statusCode() == 503) {
        open = call;
        assertEquals(
            sent, count("spillway.upstream.attempts", "provider", "pdown1", "kind", "first"));
      }
    }
    assertNotNull(open, "the breakers opened");
    assertEquals("circuit_open", open.response().jsonPath().getString("error.code"));
    assertEquals("1", open.response().header("retry-after"));
    // Refused without an upstream request: no attempt is counted for it.
    // One route failing does not make the gateway unready.
    given().get("/q/health/ready").then().statusCode(200);
  }

  @Test
  void theClientDeadlineCapsANonStreamingRequest() {
    Timed call =
        timed(
            () ->
                given()
                    .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
                    .header("x-spillway-timeout-ms", "300")
                    .contentType(ContentType.JSON)
                    .body(body("chaos-deadline", ""))
                    .post("/v1/chat/completions"));
    call.response().then().statusCode(504);
    assertEquals("deadline_exceeded", call.response().jsonPath().getString("error.code"));
    // The upstream would answer after 3 s: the 504 is the deadline's, not the upstream's.
    assertTrue(call.millis() >= 290, "waited for the deadline: " + call.millis() + " ms");
  }

  @Test
  void theClientDeadlineEndsAStreamWithATerminalError() {
    Timed call =
        timed(
            () ->
                given()
                    .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
                    .header("x-spillway-timeout-ms", "500")
                    .contentType(ContentType.JSON)
                    .body(body("chaos-deadline-stream", "\"stream\":true"))
                    .post("/v1/chat/completions"));
    call.response().then().statusCode(200);
    assertEquals("deadline_exceeded", terminalError(call.response()).getString("code"));
    assertNoStopFinish(call.response());
    assertTrue(call.millis() >= 490, "waited for the deadline: " + call.millis() + " ms");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "soon", "99999999999"})
  void aBadDeadlineHeaderIsA400NamingIt(String value) {
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .header("x-spillway-timeout-ms", value)
        .contentType(ContentType.JSON)
        .body(body("chaos-500", ""))
        .post("/v1/chat/completions")
        .then()
        .statusCode(400)
        .body("error.param", org.hamcrest.Matchers.equalTo("x-spillway-timeout-ms"));
  }

  @Test
  void overloadShedsBatchFirstWithAnHonestRetryAfter() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(send(client, UpstreamSimulatorResource.GLOBEX_KEY));
    }
    Thread.sleep(300);
    CompletableFuture<HttpResponse<String>> interactive =
        send(client, UpstreamSimulatorResource.ACME_KEY);
    int ok = 0;
    int shed = 0;
    for (CompletableFuture<HttpResponse<String>> future : batch) {
      HttpResponse<String> response = future.get();
      if (response.statusCode() == 200) {
        ok++;
      } else {
        assertEquals(503, response.statusCode(), response.body());
        assertEquals(
            "overloaded", new JsonObject(response.body()).getJsonObject("error").getString("code"));
        long retryAfter =
            Long.parseLong(response.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        shed++;
      }
    }
    assertEquals(200, interactive.get().statusCode(), "interactive traffic is kept");
    assertTrue(shed >= 3, "batch shed: " + shed + ", served: " + ok);
    assertTrue(ok >= 4, "batch served: " + ok);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpClient client, String key)
      throws Exception {
    return client.sendAsync(
        HttpRequest.newBuilder(chatUrl.toURI())
            .header("Authorization", "Bearer " + key)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body("chaos-shed", "")))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readinessIsAboutServingAndBreakersAreInTheProvidersGroup() {
    // chaos-all-down's targets never answer: open their breakers, then look at both checks.
    for (int i = 0; i < 20; i++) {
      if (post(body("chaos-all-down", "")).statusCode() == 503) {
        break;
      }
    }
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.find { it.name == 'serving' }.status", org.hamcrest.Matchers.is("UP"));
    given()
        .get("/q/health/group/providers")
        .then()
        .statusCode(503)
        .body("checks.find { it.name == 'providers' }.status", org.hamcrest.Matchers.is("DOWN"))
        .body(
            "checks.find { it.name == 'providers' }.data.'route chaos-all-down'",
            org.hamcrest.Matchers.startsWith("0 of "))
        .body(
            "checks.find { it.name == 'providers' }.data.'breaker healthy'",
            org.hamcrest.Matchers.notNullValue());
  }
}
