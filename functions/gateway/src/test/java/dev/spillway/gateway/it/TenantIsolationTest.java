package dev.spillway.gateway.it;

import static dev.spillway.gateway.it.ChatCompletionsTest.body;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.resilience.CircuitBreakers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One tenant's requests never hurt another's: failures caused by a client's own constraints stay
 * with that client (a 422 naming the field, a per-tenant counter) and never reach a breaker; a
 * client's schema is compiled when the request arrives; fields that act on the gateway's own
 * provider account pass only where a route allows them.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class TenantIsolationTest {

  /** No answer can satisfy it: the simulator writes 42 for every integer. */
  static final String UNSATISFIABLE =
      """
      "response_format":{"type":"json_schema","json_schema":{"name":"big","schema":
        {"type":"object","properties":{"n":{"type":"integer","minimum":100}},"required":["n"]}}}
      """;

  @Inject CircuitBreakers breakers;
  @Inject MeterRegistry registry;

  @TestHTTPResource("/v1/chat/completions")
  URL chatUrl;

  private static Response post(String key, String body) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/chat/completions");
  }

  @Test
  void aClientsUnsatisfiableSchemaIsA422NamingItAndNeverOpensABreaker() {
    Response response = post(UpstreamSimulatorResource.GLOBEX_KEY, body("iso", UNSATISFIABLE));
    response
        .then()
        .statusCode(422)
        .body("error.code", equalTo("constraints_unsatisfied"))
        .body("error.param", equalTo("response_format.json_schema.schema"))
        .body("error.message", containsString("response_format.json_schema.schema"));
  }

  @Test
  void oneTenantsThousandUnsatisfiableRequestsLeaveEveryBreakerClosedWhileAnotherIsServed()
      throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<Integer, AtomicInteger> badStatuses = new ConcurrentHashMap<>();
    Map<Integer, AtomicInteger> goodStatuses = new ConcurrentHashMap<>();
    double before = constrained("globex");
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      inFlight.acquire();
      calls.add(send(client, UpstreamSimulatorResource.GLOBEX_KEY, UNSATISFIABLE, badStatuses));
      calls.get(calls.size() - 1).whenComplete((r, e) -> inFlight.release());
      if (i % 10 == 0) {
        // The other tenant's ordinary requests go on at the same time, on the same targets.
        calls.add(send(client, UpstreamSimulatorResource.ACME_KEY, "", goodStatuses));
      }
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();

    assertEquals(Map.of(422, 1_000), counts(badStatuses), "every bad request is the client's 422");
    assertEquals(Map.of(200, 100), counts(goodStatuses), "every other tenant's request succeeded");
    breakers
        .states()
        .forEach(
            (name, state) -> {
              if (name.startsWith("iso")) {
                assertEquals(CircuitBreakers.BreakerState.CLOSED, state, name);
              }
            });
    assertTrue(
        breakers.states().keySet().stream().anyMatch(name -> name.startsWith("iso1")),
        "the route's breakers were consulted: " + breakers.states().keySet());
    assertTrue(
        constrained("globex") - before >= 1_000,
        "counted per tenant: " + (constrained("globex") - before));
  }

  private CompletableFuture<HttpResponse<String>> send(
      HttpClient client, String key, String extra, Map<Integer, AtomicInteger> statuses) {
    HttpRequest request =
        HttpRequest.newBuilder(URI(chatUrl))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body("iso", extra)))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, failure) ->
                statuses
                    .computeIfAbsent(
                        failure == null ? response.statusCode() : -1, s -> new AtomicInteger())
                    .incrementAndGet());
  }

  private static java.net.URI URI(URL url) {
    try {
      return url.toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<Integer, Integer> counts(Map<Integer, AtomicInteger> statuses) {
    Map<Integer, Integer> plain = new java.util.HashMap<>();
    statuses.forEach((status, count) -> plain.put(status, count.get()));
    return plain;
  }

  private double constrained(String tenant) {
    return registry
        .find("spillway.validation.client_constrained")
        .tag("tenant", tenant)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void anInvalidSchemaIsA400NamingItAndNothingIsSentUpstream() {
    int captured = UpstreamSimulatorResource.CAPTURED.size();
    String invalid =
        """
        "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":
          {"type":"string","pattern":"([a-z"}}}
        """;
    post(UpstreamSimulatorResource.ACME_KEY, body("capture", invalid))
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.param", equalTo("response_format.json_schema.schema"))
        .body("error.message", containsString("pattern"));
    String unresolvable =
        """
        "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":
          {"$ref":"https://example.com/schema.json"}}}
        """;
    post(UpstreamSimulatorResource.ACME_KEY, body("capture", unresolvable))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("response_format.json_schema.schema"));
    assertEquals(captured, UpstreamSimulatorResource.CAPTURED.size(), "refused before upstream");
  }

  /**
   * A schema whose {@code const} makes the simulator answer {@code words} distinct words and a
   * final "!", and whose pattern {@code ^(\w+\s?)*$} a backtracking engine takes exponential time
   * to reject on it (each word can be split in many ways). Distinct words, so that the answer is
   * not degenerate output (which the repetition check would catch first, as the provider's fault).
   */
  static String adversarial(int words) {
    StringBuilder answer = new StringBuilder();
    for (int i = 0; i < words; i++) {
      answer.append(i == 0 ? "" : " ").append("w").append(i);
    }
    answer.append('!');
    return """
        "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":
          {"type":"object","properties":{"w":{"type":"string","const":"%s",
           "pattern":"^(\\\\w+\\\\s?)*$"}},"required":["w"]}}}
        """
        .formatted(answer);
  }

  @Test
  void aBacktrackingPatternAgainstALongAdversarialAnswerIsRejectedInLinearTime() {
    // No time bound: with a backtracking engine this request would never be answered at all.
    // The lag such answers add to other requests is measured in docs/benchmarks/gateway.md.
    post(UpstreamSimulatorResource.ACME_KEY, body("sim-openai", adversarial(3_000)))
        .then()
        .statusCode(422)
        .body("error.param", equalTo("response_format.json_schema.schema"));
  }

  @Test
  void accountFieldsPassOnlyWhereTheRouteAllowsThem() {
    post(UpstreamSimulatorResource.ACME_KEY, body("sim-openai", "\"service_tier\":\"priority\""))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("service_tier"))
        .body("error.message", containsString("provider account"));
    post(UpstreamSimulatorResource.ACME_KEY, body("sim-openai", "\"store\":true"))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("store"));
    // Values that leave the account as it is are always accepted.
    post(
            UpstreamSimulatorResource.ACME_KEY,
            body("sim-openai", "\"store\":false,\"service_tier\":\"auto\""))
        .then()
        .statusCode(200);
    // The capture route allows service_tier: it reaches the upstream as sent.
    int captured = UpstreamSimulatorResource.CAPTURED.size();
    post(UpstreamSimulatorResource.ACME_KEY, body("capture", "\"service_tier\":\"flex\""))
        .then()
        .statusCode(200);
    assertEquals(
        "flex",
        UpstreamSimulatorResource.CAPTURED
            .get(captured)
            .getJsonObject("body")
            .getString("service_tier"));
  }

  @Test
  void unknownPathsAndMethodsAnswerOpenAiErrorJson() {
    for (Response response :
        List.of(
            given().get("/v1/nope"),
            given().contentType(ContentType.JSON).body("{}").post("/v1/embeddings"),
            given().contentType(ContentType.JSON).body("{}").post("/v1/models/sim-openai/x"),
            given().get("/nothing/here"))) {
      response
          .then()
          .statusCode(404)
          .contentType(startsWith("application/json"))
          .body("error.type", equalTo("invalid_request_error"))
          .body("error.code", equalTo("unknown_url"));
      assertFalse(response.asString().contains("<html"), response.asString());
      assertTrue(
          response
              .jsonPath()
              .getString("error.message")
              .matches("Unknown request URL: (GET|POST) .*"),
          response.asString());
    }
    Response embeddings = given().contentType(ContentType.JSON).body("{}").post("/v1/embeddings");
    assertTrue(
        embeddings.jsonPath().getString("error.message").contains("POST /v1/embeddings"),
        embeddings.asString());
    given()
        .delete("/v1/models")
        .then()
        .statusCode(405)
        .contentType(startsWith("application/json"))
        .body("error.code", equalTo("method_not_allowed"));
  }
}
