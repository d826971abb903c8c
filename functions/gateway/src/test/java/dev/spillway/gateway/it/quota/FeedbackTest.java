package dev.spillway.gateway.it.quota;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.spillway.datasets.mmlu.CsvRows;
import dev.spillway.gateway.it.UpstreamSimulatorResource;
import dev.spillway.gateway.routing.quality.QualityRefresh;
import dev.spillway.gateway.routing.quality.ShadowSampler;
import dev.spillway.routing.model.RouterFile;
import dev.spillway.routing.model.RouterModel;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Feedback closes quality routing's loop, end to end with the real quota function: a tenant judges
 * its own requests on the {@code auto} route ({@code POST /v1/feedback}), another tenant's request
 * id is a 404, bad scores are 400s, and once the judged requests of a category show its routed
 * quality below its floor, every request of that category is routed with a raised floor ({@code
 * x-spillway-route-reason: degraded}) and the gauge says so.
 *
 * <p>The test delivers the gateway's usage events to the quota function itself, as Knative's broker
 * would: the gateway under test sends them to the test's sink.
 */
@QuarkusTest
@TestProfile(FeedbackProfile.class)
@EnabledIf("dev.spillway.gateway.it.quota.QuotaFunctionResource#available")
class FeedbackTest {

  /** A subject whose floor of 50 % (the test route's default) has a threshold between prompts. */
  static final String CATEGORY = "high_school_mathematics";

  /** RouteLLM's MMLU prompts (../shared/data from the repository root). */
  static final Path MMLU =
      Path.of(System.getProperty("gateway.test.mmlu-dir", "../../../shared/data/routing/mmlu"));

  private static int seq;

  @Inject QualityRefresh refresh;
  @Inject ShadowSampler shadows;

  private static synchronized String name(String what) {
    return what + "-fb-" + QuotaProfile.RUN + "-" + (++seq);
  }

  private static String key() {
    String tenant = name("tenant");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "tutor");
    return QuotaAdmin.key(tenant, "tutor", "interactive")[1];
  }

  /** Two prompts of the category: one the shipped router sends cheap at 50 %, one strong. */
  private static String[] cheapAndStrongPrompts() throws Exception {
    RouterModel router;
    try (InputStream in =
        FeedbackTest.class.getClassLoader().getResourceAsStream("routers/mmlu-ridge/router.json")) {
      router = RouterFile.read(in.readAllBytes(), "router.json");
    }
    String cheap = null;
    String strong = null;
    List<List<String>> rows = CsvRows.read(MMLU.resolve("mmlu_" + CATEGORY + ".csv"));
    for (List<String> row : rows.subList(1, rows.size())) {
      String prompt = row.get(0);
      int candidate = router.route(prompt, CATEGORY, 0.5).candidate();
      if (candidate == 0 && cheap == null) {
        cheap = prompt;
      } else if (candidate == 1 && strong == null) {
        strong = prompt;
      }
    }
    assertNotNull(cheap, "a prompt the router sends cheap");
    assertNotNull(strong, "a prompt the router sends strong");
    return new String[] {cheap, strong};
  }

  private static Response chat(String key, String prompt) {
    return chat(key, FeedbackProfile.ROUTE, prompt);
  }

  private static Response chat(String key, String route, String prompt) {
    return chat(key, route, prompt, false);
  }

  private static Response chat(String key, String route, String prompt, boolean stream) {
    return given()
        .header("Authorization", "Bearer " + key)
        .header("x-spillway-category", CATEGORY)
        .contentType(ContentType.JSON)
        .body(
            new JsonObject()
                .put("model", route)
                .put("stream", stream)
                .put("max_tokens", 8)
                .put(
                    "messages",
                    new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("role", "user").put("content", prompt)))
                .encode())
        .post("/v1/chat/completions");
  }

  /** Hands the request's usage event to the quota function, as the event broker would. */
  private static void deliver(String requestId) throws Exception {
    JsonObject event = UpstreamSimulatorResource.eventFor(requestId).get(10, TimeUnit.SECONDS);
    given()
        .baseUri(QuotaFunctionResource.url())
        .contentType(ContentType.JSON)
        .body(event.getJsonObject("data").encode())
        .post("/usage-recorded")
        .then()
        .statusCode(204);
  }

  /** The gateway's {@code spillway_routing_shadow_total} for the shadowed route and an outcome. */
  private static double shadowSamples(String outcome) {
    String prefix =
        "spillway_routing_shadow_total{outcome=\""
            + outcome
            + "\",route=\""
            + FeedbackProfile.SHADOWED
            + "\"} ";
    for (String line : given().get("/q/metrics").asString().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(prefix.length()).trim());
      }
    }
    return 0;
  }

  private static Response feedback(String key, Map<String, Object> body) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/feedback");
  }

  @Test
  void aTenantJudgesOnlyItsOwnRequestsAndBadInputIsA400() throws Exception {
    String acme = key();
    String globex = key();
    String requestId =
        chat(acme, cheapAndStrongPrompts()[0])
            .then()
            .statusCode(200)
            .extract()
            .header("x-request-id");
    deliver(requestId);
    feedback(acme, Map.of("request_id", requestId, "thumbs", "up"))
        .then()
        .statusCode(200)
        .body("object", equalTo("feedback"))
        .body("score", equalTo(1.0f))
        .body("category", equalTo(CATEGORY))
        .body("model", equalTo(FeedbackProfile.ROUTE));
    feedback(globex, Map.of("request_id", requestId, "score", 1))
        .then()
        .statusCode(404)
        .body("error.code", equalTo("request_not_found"))
        .body("error.param", equalTo("request_id"));
    feedback(acme, Map.of("request_id", requestId, "score", 7))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("score"))
        .body("error.message", containsString("from 0 (bad) to 1 (good)"));
    feedback(acme, Map.of("request_id", requestId, "thumbs", "sideways"))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("thumbs"));
    feedback(acme, Map.of("score", 1))
        .then()
        .statusCode(400)
        .body("error.param", equalTo("request_id"));
    feedback("sk-not-a-key", Map.of("request_id", requestId, "score", 1)).then().statusCode(401);
  }

  @Test
  void aCategoryWhoseMeasuredQualityFallsBelowItsFloorIsRoutedStrongerEverywhere()
      throws Exception {
    String key = key();
    String[] prompts = cheapAndStrongPrompts();
    // The cheap target's answers are judged bad, the strong target's good: routed quality 50 %
    // of 6, whose lower bound is far below 50 % of the strong target's 100 %.
    for (int i = 0; i < 3; i++) {
      for (int which = 0; which < 2; which++) {
        Response answer = chat(key, prompts[which] + " (" + i + ")");
        answer.then().statusCode(200).header("x-spillway-route-reason", "floor");
        String requestId = answer.header("x-request-id");
        deliver(requestId);
        feedback(key, Map.of("request_id", requestId, "score", which == 0 ? 0 : 1))
            .then()
            .statusCode(200);
      }
    }
    // Every instance reads the sums on its own schedule; this one reads them now.
    refresh.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
    chat(key, prompts[1]).then().statusCode(200).header("x-spillway-route-reason", "degraded");
    given()
        .get("/q/metrics")
        .then()
        .body(
            containsString(
                "spillway_routing_degraded{category=\""
                    + CATEGORY
                    + "\",route=\""
                    + FeedbackProfile.ROUTE
                    + "\"} 1.0"));
  }

  @Test
  void cheaplyServedRequestsAreShadowedAndTheirDisagreementDegradesTheCategory() throws Exception {
    String key = key();
    String cheap = cheapAndStrongPrompts()[0];
    // The simulator's cheap and strong models write different texts: every shadow disagrees. One
    // of the three answers is streamed: streams are shadowed too, on the text they carried.
    for (int i = 0; i < 3; i++) {
      Response answer = chat(key, FeedbackProfile.SHADOWED, cheap + " (" + i + ")", i == 1);
      answer.then().statusCode(200).header("x-spillway-upstream-model", "cheap-model");
      deliver(answer.header("x-request-id"));
    }
    // Each answer's shadow started before its usage event left, so all three are counted once
    // the shadows settle (a judgement that beat its usage event to the ledger is retried).
    shadows.settled().get(10, TimeUnit.SECONDS);
    assertEquals(3.0, shadowSamples("sampled"), "three shadow samples, one of them a stream");
    assertEquals(3.0, shadowSamples("disagreed"));
    refresh.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
    chat(key, FeedbackProfile.SHADOWED, cheap)
        .then()
        .statusCode(200)
        .header("x-spillway-route-reason", "degraded");
  }
}
