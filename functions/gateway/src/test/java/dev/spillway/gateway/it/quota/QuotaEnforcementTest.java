package dev.spillway.gateway.it.quota;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.it.UpstreamSimulatorResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The gateway against the real quota function and the upstream simulator: keys created through the
 * admin API, budgets on a tenant hierarchy, reserve-then-refund, provider-account limits, and key
 * revocation.
 */
@QuarkusTest
@TestProfile(QuotaProfile.class)
@EnabledIf("dev.spillway.gateway.it.quota.QuotaFunctionResource#available")
class QuotaEnforcementTest {

  private static int seq;

  /** A name unique to this run (the test database keeps earlier runs' tenants). */
  private static synchronized String name(String what) {
    return what + "-" + QuotaProfile.RUN + "-" + (++seq);
  }

  static Response chat(String key, String model, int maxTokens) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\""
                + model
                + "\",\"max_tokens\":"
                + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}")
        .post("/v1/chat/completions");
  }

  @Test
  void keyCreatedThroughTheAdminApiWorksAndCarriesRateLimitHeaders() {
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "tokens-per-minute", 100_000);
    QuotaAdmin.tenantBudget(tenant, "requests-per-minute", 1_000);
    String key = QuotaAdmin.key(tenant, "chat", "interactive")[1];

    chat(key, "sim-openai", 50)
        .then()
        .statusCode(200)
        .header("x-ratelimit-limit-tokens", "100000")
        .header("x-ratelimit-remaining-tokens", notNullValue())
        .header("x-ratelimit-reset-tokens", notNullValue())
        .header("x-ratelimit-limit-requests", "1000")
        .header("x-ratelimit-remaining-requests", notNullValue())
        .header("x-ratelimit-reset-requests", notNullValue());

    chat("sk-not-a-key-" + QuotaProfile.RUN, "sim-openai", 50)
        .then()
        .statusCode(401)
        .header("x-ratelimit-limit-tokens", (String) null);
  }

  @Test
  void aKeyManagedByTheQuotaFunctionListsTheModels() {
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    String key = QuotaAdmin.key(tenant, "chat", "interactive")[1];
    given()
        .header("Authorization", "Bearer " + key)
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("object", org.hamcrest.Matchers.equalTo("list"))
        .body("data.id", org.hamcrest.Matchers.hasItem("sim-openai"));
    given()
        .header("Authorization", "Bearer sk-not-a-key-" + QuotaProfile.RUN)
        .get("/v1/models")
        .then()
        .statusCode(401)
        .body("error.code", org.hamcrest.Matchers.equalTo("invalid_api_key"));
  }

  @Test
  void aParentsExhaustedBudgetRefusesTheChildEvenWithItsOwnBudgetLeft() {
    String parent = name("org");
    String child = name("team");
    QuotaAdmin.tenant(parent, null);
    QuotaAdmin.tenant(child, parent);
    QuotaAdmin.feature(child, "chat");
    QuotaAdmin.tenantBudget(parent, "tokens-per-minute", 60);
    QuotaAdmin.tenantBudget(child, "tokens-per-minute", 100_000);
    String key = QuotaAdmin.key(child, "chat", "standard")[1];

    Response refused = chat(key, "sim-openai", 500);
    refused
        .then()
        .statusCode(429)
        .body("error.code", equalTo("rate_limit_exceeded"))
        .body("error.message", containsString("tokens-per-minute"))
        .body("error.message", not(containsString(parent)))
        .header("x-ratelimit-limit-tokens", "60")
        .header("x-ratelimit-remaining-tokens", notNullValue());
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
    assertFalse(refused.asString().contains(parent), "the parent's name never reaches the child");
  }

  @Test
  void whatARequestDidNotUseIsGivenBack() {
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "tokens-per-minute", 20_000);
    String key = QuotaAdmin.key(tenant, "chat", "interactive")[1];

    Response first = chat(key, "sim-openai", 1_000);
    first.then().statusCode(200);
    int used = first.jsonPath().getInt("usage.total_tokens");
    assertTrue(used < 100, "the simulator answers briefly: " + used);
    long remaining = Long.parseLong(first.header("x-ratelimit-remaining-tokens"));
    // 1,000 + prompt were reserved; after settling only the real use is gone.
    assertTrue(
        remaining >= 20_000 - used - 50,
        "remaining " + remaining + " after using " + used + " of 20,000");
    assertTrue(remaining <= 20_000 - used, "remaining " + remaining + " counts the use");
  }

  @Test
  void aStreamCarriesTheHeadersAtCommitAndIsSettledAtItsEnd() {
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "tokens-per-minute", 20_000);
    String key = QuotaAdmin.key(tenant, "chat", "interactive")[1];

    Response stream =
        given()
            .header("Authorization", "Bearer " + key)
            .contentType(ContentType.JSON)
            .body(
                "{\"model\":\"sim-openai\",\"stream\":true,\"max_tokens\":2000,"
                    + "\"stream_options\":{\"include_usage\":true},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}")
            .post("/v1/chat/completions");
    stream.then().statusCode(200).header("x-ratelimit-limit-tokens", "20000");
    long atCommit = Long.parseLong(stream.header("x-ratelimit-remaining-tokens"));
    assertTrue(
        atCommit <= 20_000 - 2_000, "the stream's reservation is held at commit: " + atCommit);
    assertTrue(stream.asString().contains("[DONE]"));

    // The stream's settlement gave back what it reserved but did not use.
    Response next = chat(key, "sim-openai", 10);
    next.then().statusCode(200);
    long after = Long.parseLong(next.header("x-ratelimit-remaining-tokens"));
    assertTrue(after > atCommit + 1_500, "refunded after the stream: " + atCommit + " -> " + after);
  }

  @Test
  void aFullProviderAccountIsSkippedWithoutAnUpstreamCall() {
    QuotaAdmin.account(QuotaProfile.ACCOUNT);
    QuotaAdmin.accountBudget(QuotaProfile.ACCOUNT, "tokens-per-minute", 60);
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "tokens-per-minute", 100_000);
    String key = QuotaAdmin.key(tenant, "chat", "batch")[1];
    int capturedBefore = UpstreamSimulatorResource.CAPTURED.size();

    chat(key, "acct-route", 500)
        .then()
        .statusCode(200)
        .header("x-spillway-provider", "openai")
        .header("x-spillway-attempts", "1");

    Response refused = chat(key, "acct-only", 500);
    refused.then().statusCode(429).body("error.code", equalTo("rate_limit_exceeded"));
    assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
    long captured =
        UpstreamSimulatorResource.CAPTURED.stream()
            .skip(capturedBefore)
            .filter(c -> c.getJsonObject("body").getString("model").endsWith(QuotaProfile.RUN))
            .count();
    assertEquals(0, captured, "the full account's upstream never saw a request");
  }

  @Test
  void concurrentRequestsAreHeldWhileInFlightAndFreedAtTheEnd() throws Exception {
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "concurrent-requests", 1);
    String key = QuotaAdmin.key(tenant, "chat", "standard")[1];
    chat(key, "sim-openai", 10).then().statusCode(200);

    java.util.concurrent.CompletableFuture<Integer> slow =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> chat(key, "slow-quota", 10).statusCode());
    // The slow request holds the only slot until it ends (the upstream waits 1.5 s to begin).
    // Probe only once it has reached the upstream, so that a probe never takes the slot first.
    long reached = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < reached
        && UpstreamSimulatorResource.simulator().stats().inFlight() == 0
        && !slow.isDone()) {
      Thread.sleep(20);
    }
    Response refused = null;
    String probes = "";
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && !slow.isDone()) {
      Response r = chat(key, "sim-openai", 10);
      if (r.statusCode() == 429) {
        refused = r;
        break;
      }
      probes += " " + r.statusCode();
      Thread.sleep(50);
    }
    assertTrue(
        refused != null,
        "a second request in flight must be refused; probes:"
            + probes
            + ", slow request: "
            + (slow.isDone() ? slow.join() : "still running"));
    refused
        .then()
        .body("error.code", equalTo("rate_limit_exceeded"))
        .body("error.message", containsString("concurrent-requests"))
        .header("Retry-After", "1");
    assertEquals(200, slow.get(30, java.util.concurrent.TimeUnit.SECONDS));
    chat(key, "sim-openai", 10).then().statusCode(200);
  }

  @Test
  void aRevokedKeyStopsWorkingWithinTheCacheTime() throws InterruptedException {
    String tenant = name("t");
    QuotaAdmin.tenant(tenant, null);
    QuotaAdmin.feature(tenant, "chat");
    QuotaAdmin.tenantBudget(tenant, "tokens-per-minute", 100_000);
    String[] key = QuotaAdmin.key(tenant, "chat", "standard");
    chat(key[1], "sim-openai", 20).then().statusCode(200);

    QuotaAdmin.revoke(key[0]);
    int status = 200;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status = chat(key[1], "sim-openai", 20).statusCode();
    }
    assertEquals(401, status, "the revoked key must stop working once its cache entry expires");
  }
}
