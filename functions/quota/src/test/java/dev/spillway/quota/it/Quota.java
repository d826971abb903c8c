package dev.spillway.quota.it;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers: the local keys, unique names, and the admin calls most tests start with. */
final class Quota {

  static final String ADMIN_KEY = "sk-spillway-admin-local-dev";
  static final String SERVICE_KEY = "sk-spillway-service-local-dev";

  private Quota() {}

  /** A name no other test run uses, so tests are independent and re-runnable. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  static RequestSpecification admin() {
    return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + ADMIN_KEY);
  }

  static RequestSpecification service() {
    return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + SERVICE_KEY);
  }

  static RequestSpecification as(String key) {
    return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key);
  }

  static String tenant(String parent) {
    String name = unique("t");
    admin()
        .body(parent == null ? Map.of("name", name) : Map.of("name", name, "parent", parent))
        .post("/admin/tenants")
        .then()
        .statusCode(201);
    return name;
  }

  static void feature(String tenant, String feature) {
    admin()
        .body(Map.of("name", feature))
        .post("/admin/tenants/" + tenant + "/features")
        .then()
        .statusCode(201);
  }

  static void budget(String path, long limit) {
    Response response = admin().body(Map.of("limit", limit)).put(path);
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError("PUT " + path + " -> " + response.asString());
    }
  }

  /** A new key for the tenant's feature; returns {id, plain key}. */
  static String[] key(String tenant, String feature, String tier) {
    Response response =
        admin()
            .body(Map.of("feature", feature, "tier", tier))
            .post("/admin/tenants/" + tenant + "/keys");
    response.then().statusCode(201);
    return new String[] {response.path("id"), response.path("key")};
  }

  static Map<String, Object> claim(String resource, long window, long used, long want) {
    return Map.of("resource", resource, "window", window, "used", used, "want", want);
  }

  static Map<String, Object> accountClaim(
      String resource, String tenant, String tier, long window, long used, long want) {
    return Map.of(
        "resource",
        resource,
        "client",
        tenant,
        "tier",
        tier,
        "window",
        window,
        "used",
        used,
        "want",
        want);
  }

  /** POSTs a lease call and returns its grants (as maps), asserting 200. */
  static List<Map<String, Object>> lease(String instance, List<Map<String, Object>> claims) {
    Response response =
        service().body(Map.of("instance", instance, "claims", claims)).post("/leases");
    if (response.statusCode() != 200) {
      throw new AssertionError("POST /leases -> " + response.asString());
    }
    return response.path("grants");
  }

  static long num(Map<String, Object> grant, String field) {
    return ((Number) grant.get(field)).longValue();
  }

  /**
   * Waits, if needed, until a window of {@code windowMs} has at least {@code needMs} left, so that
   * a test's sequence of calls stays in one window.
   */
  static void awaitRoomInWindow(long windowMs, long needMs) throws InterruptedException {
    long intoWindow = System.currentTimeMillis() % windowMs;
    if (windowMs - intoWindow < needMs) {
      Thread.sleep(windowMs - intoWindow + 20);
    }
  }
}
