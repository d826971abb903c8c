package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.events.EventTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UsageTest {

  private static Map<String, Object> event(
      String tenant, String feature, String model, int prompt, int completion, String cost) {
    Map<String, Object> event = new HashMap<>();
    event.put("request_id", Quota.unique("req"));
    event.put("tenant", tenant);
    event.put("feature", feature);
    event.put("route", model);
    event.put("provider", "openai");
    event.put("model", model);
    event.put("prompt_tokens", prompt);
    event.put("completion_tokens", completion);
    event.put("usage_counted", false);
    event.put("cost_usd", new java.math.BigDecimal(cost));
    event.put("ttft_ms", 120.5);
    event.put("duration_ms", 900.0);
    event.put("outcome", "success");
    event.put("stream", true);
    event.put("attempts", 1);
    return event;
  }

  /** POSTs a CloudEvent in binary mode, as CloudEventSender does: ce-* headers, JSON data. */
  private static Response sendBinary(String id, Map<String, Object> data) {
    return given()
        .contentType("application/json")
        .header("ce-specversion", "1.0")
        .header("ce-id", id)
        .header("ce-source", "/spillway/gateway")
        .header("ce-type", EventTypes.USAGE_RECORDED)
        .header("ce-time", "2026-01-15T10:00:00Z")
        .header("ce-subject", (String) data.get("tenant"))
        .body(data)
        .post("/");
  }

  @Test
  void theSameEventDeliveredTwiceIsCountedOnce() {
    String t = Quota.tenant(null);
    Map<String, Object> data = event(t, "search", "gpt-4o", 100, 50, "0.00075");
    String id = UUID.randomUUID().toString();
    Response first = sendBinary(id, data);
    assertEquals(2, first.statusCode() / 100, first.asString());
    Response again = sendBinary(id, data);
    assertEquals(2, again.statusCode() / 100, again.asString());
    admin()
        .queryParam("tenant", t)
        .queryParam("from", "2026-01-15")
        .queryParam("to", "2026-01-15")
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows", hasSize(1))
        .body("rows[0].requests", equalTo(1))
        .body("rows[0].prompt_tokens", equalTo(100))
        .body("rows[0].completion_tokens", equalTo(50));
    io.restassured.RestAssured.get("/q/metrics")
        .then()
        .body(containsString("spillway_quota_events_total{result=\"duplicate\"}"));
  }

  @Test
  void usageIsGroupedByFeatureModelAndDay() {
    String t = Quota.tenant(null);
    post(event(t, "search", "gpt-4o", 100, 10, "0.001"));
    post(event(t, "search", "gpt-4o", 200, 20, "0.002"));
    post(event(t, "search", "claude", 300, 30, "0.004"));
    post(event(t, "chat", "gpt-4o", 400, 40, "0.008"));
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    admin()
        .queryParam("tenant", t)
        .queryParam("group_by", "feature,model,day")
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows", hasSize(3))
        .body("rows[0].feature", equalTo("chat"))
        .body("rows[0].day", equalTo(today))
        .body("rows[2].feature", equalTo("search"))
        .body("rows[2].model", equalTo("gpt-4o"))
        .body("rows[2].requests", equalTo(2))
        .body("rows[2].prompt_tokens", equalTo(300))
        .body("rows[2].cost_usd", equalTo(0.003f));
    admin()
        .queryParam("tenant", t)
        .get("/usage")
        .then()
        .body("rows", hasSize(1))
        .body("rows[0].requests", equalTo(4))
        .body("rows[0].completion_tokens", equalTo(100))
        .body("rows[0].feature", equalTo(null));
  }

  @Test
  void qualityRoutedUsageIsGroupedByCategoryWithItsSavingsAgainstAllStrong() {
    String t = Quota.tenant(null);
    Map<String, Object> cheap = event(t, "tutor", "mixtral", 100, 10, "0.001");
    cheap.put("route_category", "anatomy");
    cheap.put("route_reason", "floor");
    cheap.put("strongest_cost_usd", new java.math.BigDecimal("0.010"));
    post(cheap);
    Map<String, Object> strong = event(t, "tutor", "gpt-4", 100, 10, "0.010");
    strong.put("route_category", "college_physics");
    strong.put("route_reason", "floor");
    strong.put("strongest_cost_usd", new java.math.BigDecimal("0.010"));
    post(strong);
    post(event(t, "tutor", "gpt-4o", 100, 10, "0.004"));
    admin()
        .queryParam("tenant", t)
        .queryParam("group_by", "category")
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows", hasSize(3))
        .body("rows[0].category", equalTo("anatomy"))
        .body("rows[0].cost_usd", equalTo(0.001f))
        .body("rows[0].strongest_cost_usd", equalTo(0.01f))
        .body("rows[0].savings_usd", equalTo(0.009f))
        .body("rows[1].category", equalTo("college_physics"))
        .body("rows[1].savings_usd", equalTo(0))
        .body("rows[2].category", equalTo(null))
        .body("rows[2].savings_usd", equalTo(0));
    admin()
        .queryParam("tenant", t)
        .get("/usage")
        .then()
        .body("rows[0].cost_usd", equalTo(0.015f))
        .body("rows[0].strongest_cost_usd", equalTo(0.024f))
        .body("rows[0].savings_usd", equalTo(0.009f));
  }

  @Test
  void aTenantKeyReadsOnlyItsOwnUsage() {
    String mine = Quota.tenant(null);
    String theirs = Quota.tenant(null);
    Quota.feature(mine, "chat");
    String[] key = Quota.key(mine, "chat", "interactive");
    post(event(mine, "chat", "gpt-4o", 1, 1, "0"));
    post(event(theirs, "chat", "gpt-4o", 1, 1, "0"));
    Quota.as(key[1]).get("/usage").then().statusCode(200).body("tenant", equalTo(mine));
    Quota.as(key[1])
        .queryParam("tenant", mine)
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows[0].requests", equalTo(1));
    // Another tenant's name gets the same answer as a tenant that does not exist.
    Response other = Quota.as(key[1]).queryParam("tenant", theirs).get("/usage");
    Response missing = Quota.as(key[1]).queryParam("tenant", "no-such-tenant").get("/usage");
    assertEquals(404, other.statusCode());
    assertEquals(404, missing.statusCode());
    assertEquals(
        other.path("detail").toString().replace(theirs, "X"),
        missing.path("detail").toString().replace("no-such-tenant", "X"));
    // The admin reads it; a revoked key reads nothing.
    admin().queryParam("tenant", theirs).get("/usage").then().statusCode(200);
    admin().delete("/admin/keys/" + key[0]).then().statusCode(204);
    Quota.as(key[1]).get("/usage").then().statusCode(401);
    given().get("/usage").then().statusCode(401);
  }

  @Test
  void badQueriesAre400() {
    String t = Quota.tenant(null);
    admin()
        .queryParam("tenant", t)
        .queryParam("from", "2026-13-01")
        .get("/usage")
        .then()
        .statusCode(400)
        .body("detail", containsString("'from'"));
    admin()
        .queryParam("tenant", t)
        .queryParam("from", "2026-02-01")
        .queryParam("to", "2026-01-01")
        .get("/usage")
        .then()
        .statusCode(400);
    admin()
        .queryParam("tenant", t)
        .queryParam("from", "2020-01-01")
        .queryParam("to", "2026-01-01")
        .get("/usage")
        .then()
        .statusCode(400)
        .body("detail", containsString("366"));
    admin()
        .queryParam("tenant", t)
        .queryParam("group_by", "provider")
        .get("/usage")
        .then()
        .statusCode(400)
        .body("detail", containsString("group_by"));
    admin().get("/usage").then().statusCode(400).body("detail", containsString("tenant"));
    admin().queryParam("tenant", Quota.unique("ghost")).get("/usage").then().statusCode(404);
  }

  @Test
  void invalidEventsAreRefusedWith4xx() {
    Map<String, Object> bad = event("Not A Tenant", "chat", "m", 1, 1, "0");
    Response response = sendBinary(UUID.randomUUID().toString(), bad);
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", response.path("code"));
    Map<String, Object> negative = event(Quota.tenant(null), "chat", "m", -5, 1, "0");
    assertEquals(400, sendBinary(UUID.randomUUID().toString(), negative).statusCode());
    Response wrongType =
        given()
            .contentType("application/json")
            .body("{\"tenant\": \"a\", \"prompt_tokens\": \"many\"}")
            .post("/usage-recorded");
    assertEquals(400, wrongType.statusCode());
    Response broken =
        given().contentType("application/json").body("{\"tenant\": ").post("/usage-recorded");
    assertEquals(400, broken.statusCode());
  }

  @Test
  void eventsWhoseDataCannotBeStoredAreRefusedForGoodNotFailedWith500() {
    String tenant = Quota.tenant(null);
    double before = invalidEvents();
    Map<String, Object> nul = event(tenant, "chat", "m", 1, 1, "0");
    nul.put("model", "gpt\u0000-4o");
    Response response = sendBinary(UUID.randomUUID().toString(), nul);
    assertEquals(400, response.statusCode(), response.asString());
    assertTrue(response.asString().contains("model contains a NUL character"), response.asString());
    Map<String, Object> costly = event(tenant, "chat", "m", 1, 1, "12345678901.5");
    response = sendBinary(UUID.randomUUID().toString(), costly);
    assertEquals(400, response.statusCode(), response.asString());
    assertTrue(response.asString().contains("cost_usd must be below"), response.asString());
    Map<String, Object> stranger = event(Quota.unique("t"), "chat", "m", 1, 1, "0");
    response = sendBinary(UUID.randomUUID().toString(), stranger);
    assertEquals(400, response.statusCode(), response.asString());
    assertTrue(response.asString().contains("does not exist"), response.asString());
    assertEquals(before + 3, invalidEvents(), "each refusal is counted");
  }

  private static double invalidEvents() {
    String metrics = given().get("/q/metrics").asString();
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("spillway_quota_events_total") && line.contains("result=\"invalid\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private static void post(Map<String, Object> event) {
    given()
        .contentType("application/json")
        .body(event)
        .post("/usage-recorded")
        .then()
        .statusCode(204);
  }
}
