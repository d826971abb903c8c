package dev.spillway.gateway.it.quota;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;

/** The quota function's admin API, as an operator would call it (REST Assured, admin key). */
final class QuotaAdmin {

  private QuotaAdmin() {}

  private static io.restassured.specification.RequestSpecification admin() {
    return given()
        .baseUri(QuotaFunctionResource.url())
        .header("Authorization", "Bearer " + QuotaFunctionResource.ADMIN_KEY)
        .contentType(ContentType.JSON);
  }

  static void tenant(String name, String parent) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    if (parent != null) {
      body.put("parent", parent);
    }
    admin().body(body).post("/admin/tenants").then().statusCode(201);
  }

  static void feature(String tenant, String feature) {
    admin()
        .body(Map.of("name", feature))
        .post("/admin/tenants/" + tenant + "/features")
        .then()
        .statusCode(201);
  }

  /** Creates a key and returns {@code [id, key]}. */
  static String[] key(String tenant, String feature, String tier) {
    var created =
        admin()
            .body(Map.of("feature", feature, "tier", tier))
            .post("/admin/tenants/" + tenant + "/keys")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new String[] {created.getString("id"), created.getString("key")};
  }

  static void revoke(String keyId) {
    admin().delete("/admin/keys/" + keyId).then().statusCode(org.hamcrest.Matchers.lessThan(300));
  }

  static void tenantBudget(String tenant, String dimension, long limit) {
    admin()
        .body(Map.of("limit", limit))
        .put("/admin/tenants/" + tenant + "/budgets/" + dimension)
        .then()
        .statusCode(org.hamcrest.Matchers.lessThan(300));
  }

  static void account(String name) {
    admin().body(Map.of("name", name)).post("/admin/accounts").then().statusCode(201);
  }

  static void accountBudget(String account, String dimension, long limit) {
    admin()
        .body(Map.of("limit", limit))
        .put("/admin/accounts/" + account + "/budgets/" + dimension)
        .then()
        .statusCode(org.hamcrest.Matchers.lessThan(300));
  }
}
