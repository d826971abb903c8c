package dev.spillway.quota.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Feedback on quality-routed requests: only the tenant whose usage event names a request may judge
 * it, bad scores are a 400, and the sums per route, category and model are what the gateways read.
 */
@QuarkusTest
class FeedbackTest {

  private static String routedRequest(String tenant, String route, String category, String model) {
    String requestId = Quota.unique("req");
    Map<String, Object> event = new HashMap<>();
    event.put("request_id", requestId);
    event.put("tenant", tenant);
    event.put("feature", "tutor");
    event.put("route", route);
    event.put("provider", "openai");
    event.put("model", model);
    event.put("prompt_tokens", 100);
    event.put("completion_tokens", 10);
    event.put("usage_counted", false);
    event.put("cost_usd", new BigDecimal("0.001"));
    event.put("duration_ms", 90.0);
    event.put("outcome", "success");
    event.put("stream", false);
    event.put("attempts", 1);
    event.put("route_category", category);
    event.put("route_reason", "floor");
    given()
        .contentType("application/json")
        .body(event)
        .post("/usage-recorded")
        .then()
        .statusCode(204);
    return requestId;
  }

  private static io.restassured.response.Response feedback(
      String tenant, String requestId, Object score) {
    Map<String, Object> body = new HashMap<>();
    body.put("tenant", tenant);
    body.put("request_id", requestId);
    body.put("score", score);
    body.put("comment", "wrong letter");
    return Quota.service().contentType("application/json").body(body).post("/feedback");
  }

  @Test
  void aTenantJudgesItsOwnRequestsAndTheGatewaysReadTheSums() {
    String acme = Quota.tenant(null);
    String route = Quota.unique("auto");
    String cheap = routedRequest(acme, route, "anatomy", "gpt-4o-mini");
    String strong = routedRequest(acme, route, "anatomy", "gpt-4o");
    feedback(acme, cheap, 0.0)
        .then()
        .statusCode(200)
        .body("category", equalTo("anatomy"))
        .body("model", equalTo("gpt-4o-mini"));
    feedback(acme, cheap, 1.0).then().statusCode(200); // judged again: the latest score counts
    feedback(acme, strong, 1.0).then().statusCode(200);
    // A shadow comparison of the same request is kept beside the tenant's own judgement.
    Map<String, Object> shadow = new HashMap<>();
    shadow.put("tenant", acme);
    shadow.put("request_id", cheap);
    shadow.put("score", 0);
    shadow.put("source", "shadow");
    Quota.service()
        .contentType("application/json")
        .body(shadow)
        .post("/feedback")
        .then()
        .statusCode(200);
    shadow.put("source", "oracle");
    Quota.service()
        .contentType("application/json")
        .body(shadow)
        .post("/feedback")
        .then()
        .statusCode(400)
        .body("detail", containsString("'source'"));

    JsonPath quality =
        Quota.service()
            .queryParam("days", 7)
            .get("/routing/quality")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<Map<String, Object>> rows =
        quality.getList("rows.findAll { it.route == '" + route + "' }");
    org.junit.jupiter.api.Assertions.assertEquals(3, rows.size(), rows.toString());
    org.junit.jupiter.api.Assertions.assertEquals("gpt-4o", rows.get(0).get("model"));
    org.junit.jupiter.api.Assertions.assertEquals("feedback", rows.get(1).get("source"));
    org.junit.jupiter.api.Assertions.assertEquals(1, rows.get(1).get("feedback"));
    org.junit.jupiter.api.Assertions.assertEquals("shadow", rows.get(2).get("source"));
    org.junit.jupiter.api.Assertions.assertEquals(
        1.0f, ((Number) rows.get(1).get("score_sum")).floatValue());
  }

  @Test
  void anotherTenantsRequestIsA404AndBadInputA400() {
    String acme = Quota.tenant(null);
    String globex = Quota.tenant(null);
    String request = routedRequest(acme, "auto", "anatomy", "gpt-4o-mini");
    feedback(globex, request, 1.0)
        .then()
        .statusCode(404)
        .body("detail", containsString("No request '" + request + "' of this tenant"));
    feedback(acme, Quota.unique("none"), 1.0).then().statusCode(404);
    feedback(acme, request, 1.5).then().statusCode(400).body("detail", containsString("'score'"));
    feedback(acme, "", 1.0).then().statusCode(400).body("detail", containsString("'request_id'"));
    Quota.service().queryParam("days", 0).get("/routing/quality").then().statusCode(400);
    given()
        .contentType("application/json")
        .body(Map.of("tenant", acme, "request_id", request, "score", 1))
        .post("/feedback")
        .then()
        .statusCode(401);
  }
}
