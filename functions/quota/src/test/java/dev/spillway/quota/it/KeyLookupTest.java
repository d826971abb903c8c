package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.admin;
import static dev.spillway.quota.it.Quota.service;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.auth.KeyHashes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KeyLookupTest {

  @Test
  void aKeyIsShownOnceLookedUpWithItsBudgetChainAndRevoked() {
    String root = Quota.tenant(null);
    String team = Quota.tenant(root);
    Quota.feature(team, "search");
    Quota.budget("/admin/tenants/" + root + "/budgets/tokens-per-day", 1_000_000);
    Quota.budget("/admin/tenants/" + team + "/budgets/tokens-per-minute", 10_000);
    Quota.budget("/admin/tenants/" + team + "/features/search/budgets/concurrent-requests", 8);

    String[] key = Quota.key(team, "search", "batch");
    assertEquals(55, key[1].length());
    assertTrue(key[1].matches("sk-spw-[0-9a-f]{48}"));

    // Listings never show the key.
    Response list = admin().get("/admin/tenants/" + team + "/keys");
    list.then().statusCode(200).body("", hasSize(1)).body("[0].prefix", startsWith("sk-spw-"));
    assertEquals(-1, list.asString().indexOf(key[1]));
    assertNull(list.path("[0].key"));

    service()
        .body(Map.of("key_hash", KeyHashes.sha256(key[1])))
        .post("/keys/lookup")
        .then()
        .statusCode(200)
        .body("tenant", equalTo(team))
        .body("feature", equalTo("search"))
        .body("tier", equalTo("batch"))
        .body("ancestors", equalTo(List.of(root)))
        .body(
            "budgets.resource",
            containsInAnyOrder(
                "tenant/" + team + "/feature/search/concurrent-requests",
                "tenant/" + team + "/tokens-per-minute",
                "tenant/" + root + "/tokens-per-day"))
        .body(
            "budgets[0].resource",
            equalTo("tenant/" + team + "/feature/search/concurrent-requests"))
        .body("budgets[0].limit", equalTo(8))
        .body("expected_output_tokens", nullValue())
        .body("cache_for_ms", equalTo(30000));

    admin().delete("/admin/keys/" + key[0]).then().statusCode(204);
    service()
        .body(Map.of("key_hash", KeyHashes.sha256(key[1])))
        .post("/keys/lookup")
        .then()
        .statusCode(404)
        .body("code", equalTo("not_found"));
    admin().get("/admin/tenants/" + team + "/keys").then().body("[0].revoked_at", not(nullValue()));
  }

  @Test
  void theFeaturesObservedP90ComesFromItsUsageEvents() {
    String t = Quota.tenant(null);
    Quota.feature(t, "chat");
    String[] key = Quota.key(t, "chat", "interactive");
    for (int i = 1; i <= 20; i++) {
      io.restassured.RestAssured.given()
          .contentType("application/json")
          .body(
              Map.of(
                  "request_id",
                  Quota.unique("r"),
                  "tenant",
                  t,
                  "feature",
                  "chat",
                  "prompt_tokens",
                  10,
                  "completion_tokens",
                  i * 10,
                  "cost_usd",
                  new BigDecimal("0.0001"),
                  "outcome",
                  "success"))
          .post("/usage-recorded")
          .then()
          .statusCode(204);
    }
    // p90 of 10, 20, ..., 200 (discrete) is 180.
    service()
        .body(Map.of("key_hash", KeyHashes.sha256(key[1])))
        .post("/keys/lookup")
        .then()
        .statusCode(200)
        .body("expected_output_tokens", equalTo(180));
  }

  @Test
  void lookupsNeedTheServiceKeyAndAHash() {
    Quota.as("sk-wrong")
        .body(Map.of("key_hash", KeyHashes.sha256("x")))
        .post("/keys/lookup")
        .then()
        .statusCode(401);
    service()
        .body(Map.of("key_hash", "sk-spw-plain-key-by-mistake"))
        .post("/keys/lookup")
        .then()
        .statusCode(400)
        .body("detail", org.hamcrest.Matchers.containsString("key_hash"));
    service()
        .body(Map.of("key_hash", KeyHashes.sha256("never-issued")))
        .post("/keys/lookup")
        .then()
        .statusCode(404);
    // The admin key is accepted on service endpoints too.
    admin()
        .body(Map.of("key_hash", KeyHashes.sha256("never-issued")))
        .post("/keys/lookup")
        .then()
        .statusCode(404);
  }
}
