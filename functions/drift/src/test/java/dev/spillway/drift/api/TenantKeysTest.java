package dev.spillway.drift.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.spillway.drift.it.EmbeddingFunction;
import dev.spillway.drift.it.QuotaFunction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant keys, which the quota function owns (a real quota process): a tenant's key reaches its own
 * tenant's drift data and nothing of another tenant's, which answers 404 as if it did not exist;
 * tenant administration stays with the admin key.
 */
@QuarkusTest
@TestProfile(TenantKeysTest.WithQuota.class)
class TenantKeysTest {

  /** The drift function resolving tenant keys through the quota function. */
  public static class WithQuota implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(
          new TestResourceEntry(QuotaFunction.class),
          new TestResourceEntry(EmbeddingFunction.class));
    }
  }

  static final String ADMIN = "Bearer " + QuotaFunction.ADMIN_KEY;
  static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
  static final String MINE = "mine-" + RUN;
  static final String THEIRS = "theirs-" + RUN;
  static String key;

  @BeforeAll
  static void tenantsAndAKey() {
    String quota = QuotaFunction.url();
    for (String tenant : List.of(MINE, THEIRS)) {
      given()
          .baseUri(quota)
          .header("Authorization", ADMIN)
          .contentType(ContentType.JSON)
          .body(Map.of("name", tenant))
          .post("/admin/tenants")
          .then()
          .statusCode(201);
      given()
          .baseUri(quota)
          .header("Authorization", ADMIN)
          .contentType(ContentType.JSON)
          .body(Map.of("name", "search"))
          .post("/admin/tenants/" + tenant + "/features")
          .then()
          .statusCode(201);
    }
    key =
        given()
            .baseUri(quota)
            .header("Authorization", ADMIN)
            .contentType(ContentType.JSON)
            .body(Map.of("feature", "search", "tier", "standard"))
            .post("/admin/tenants/" + MINE + "/keys")
            .then()
            .statusCode(201)
            .extract()
            .path("key");
  }

  @Test
  void aTenantKeyReachesItsOwnDataOnly() {
    for (String tenant : List.of(MINE, THEIRS)) {
      given()
          .header("Authorization", ADMIN)
          .contentType(ContentType.JSON)
          .body(Map.of("window", "1h"))
          .put("/tenants/" + tenant)
          .then()
          .statusCode(201);
    }
    String mine = "Bearer " + key;
    given()
        .header("Authorization", mine)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", List.of(Map.of("text", "How do transformers attend to tokens?"))))
        .post("/tenants/" + MINE + "/features/search/samples")
        .then()
        .statusCode(202)
        .body("embedded", equalTo(1));
    given()
        .header("Authorization", mine)
        .get("/tenants/" + MINE + "/features/search/windows")
        .then()
        .statusCode(200)
        .body("[0].seen", equalTo(1));
    given().header("Authorization", mine).get("/tenants/" + MINE).then().statusCode(200);

    // Another tenant's data does not exist for this key, reads and writes alike.
    given()
        .header("Authorization", mine)
        .get("/tenants/" + THEIRS + "/features/search/windows")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", mine)
        .get("/tenants/" + THEIRS + "/features/search/reports")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", mine)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", List.of(Map.of("text", "x y z"))))
        .post("/tenants/" + THEIRS + "/features/search/samples")
        .then()
        .statusCode(404);
    // Administration needs the admin key.
    given()
        .header("Authorization", mine)
        .contentType(ContentType.JSON)
        .body(Map.of("window", "2h"))
        .put("/tenants/" + MINE)
        .then()
        .statusCode(403);
    given().header("Authorization", mine).get("/tenants").then().statusCode(403);
    given()
        .header("Authorization", "Bearer sk-spw-000000000000000000000000000000000000000000000000")
        .get("/tenants/" + MINE)
        .then()
        .statusCode(401);
  }
}
