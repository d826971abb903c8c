package dev.spillway.gateway.it.quota;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The quota function goes away: once the leases' validity has passed, interactive keys fail open
 * (up to the safety limit), batch keys fail closed with 503 {@code quota_unavailable}, and the
 * readiness check shows the state while staying UP (fail-open can serve). Its own profile, so that
 * stopping the quota function does not disturb other tests.
 */
@QuarkusTest
@TestProfile(QuotaUnreachableTest.Profile.class)
@EnabledIf("dev.spillway.gateway.it.quota.QuotaFunctionResource#available")
class QuotaUnreachableTest {

  /** {@link QuotaProfile} with a small safety limit, so failing open is visibly bounded. */
  public static class Profile extends QuotaProfile {
    @Override
    public java.util.Map<String, String> getConfigOverrides() {
      java.util.Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
      config.put("gateway.quota.unreachable.safety-tokens-per-minute", "5000");
      config.put("gateway.quota.renewal-wait", "500ms");
      config.put("gateway.quota.request-timeout", "500ms");
      return config;
    }
  }

  private static JsonPath quotaCheck() {
    JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
    return new JsonPath(
        health.getList("checks").stream()
            .filter(c -> "quota".equals(((java.util.Map<?, ?>) c).get("name")))
            .findFirst()
            .map(c -> new io.vertx.core.json.JsonObject((java.util.Map<String, Object>) c).encode())
            .orElseThrow());
  }

  @Test
  void failsOpenForInteractiveAndClosedForBatchWhileTheQuotaFunctionIsDown()
      throws InterruptedException {
    String tenant = "down-" + QuotaProfile.RUN;
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "tokens-per-minute", 100_000);
    String interactive = QuotaAdmin.key(tenant, "chat", "interactive")[1];
    String batch = QuotaAdmin.key(tenant, "chat", "batch")[1];
    QuotaEnforcementTest.chat(interactive, "sim-openai", 20).then().statusCode(200);
    QuotaEnforcementTest.chat(batch, "sim-openai", 20).then().statusCode(200);
    assertEquals("connected", quotaCheck().getString("data.connection"));

    QuotaFunctionResource.stopProcess();
    try {
      // Wait (generously) until the leases' validity has passed and a renewal has failed.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"unreachable".equals(quotaCheck().getString("data.connection"))
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      JsonPath check = quotaCheck();
      assertEquals("unreachable", check.getString("data.connection"));
      assertEquals("UP", check.getString("status"), "fail-open tiers still serve");

      QuotaEnforcementTest.chat(interactive, "sim-openai", 20).then().statusCode(200);
      Response closed = QuotaEnforcementTest.chat(batch, "sim-openai", 20);
      closed.then().statusCode(503).body("error.code", equalTo("quota_unavailable"));
      assertTrue(Long.parseLong(closed.header("Retry-After")) >= 1);

      // Failing open is bounded: the safety limit (5,000 tokens a minute) runs out.
      int status = 200;
      for (int i = 0; i < 10 && status == 200; i++) {
        status = QuotaEnforcementTest.chat(interactive, "sim-openai", 1_000).statusCode();
      }
      assertEquals(429, status);

      String metrics = given().get("/q/metrics").asString();
      assertTrue(
          metrics.contains(
              "spillway_quota_unreachable_decisions_total{policy=\"fail-closed\",tier=\"batch\""),
          "fail-closed decisions are counted");
      assertTrue(
          metrics.contains(
              "spillway_quota_unreachable_decisions_total{policy=\"fail-open\",tier=\"interactive\""),
          "fail-open decisions are counted");
    } finally {
      QuotaFunctionResource.startProcess();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"connected".equals(quotaCheck().getString("data.connection"))
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertEquals("connected", quotaCheck().getString("data.connection"));
    QuotaEnforcementTest.chat(batch, "sim-openai", 20).then().statusCode(200);
  }
}
