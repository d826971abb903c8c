package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.admin;
import static dev.spillway.quota.it.Quota.service;
import static dev.spillway.quota.it.Quota.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminApiTest {

  @Test
  void tenantsAreCreatedReadAndPatchedWithVersions() {
    String parent = Quota.tenant(null);
    String name = unique("t");
    admin()
        .body(Map.of("name", name, "parent", parent, "weight", 3))
        .post("/admin/tenants")
        .then()
        .statusCode(201)
        .header("ETag", "\"1\"")
        .body("parent", equalTo(parent))
        .body("weight", equalTo(3));
    admin()
        .get("/admin/tenants/" + name)
        .then()
        .statusCode(200)
        .body("name", equalTo(name))
        .body("version", equalTo(1));
    admin()
        .header("If-Match", "\"1\"")
        .body(Map.of("weight", 5))
        .patch("/admin/tenants/" + name)
        .then()
        .statusCode(200)
        .header("ETag", "\"2\"")
        .body("weight", equalTo(5))
        .body("parent", equalTo(parent));
    // A stale version is refused, and nothing changes.
    admin()
        .header("If-Match", "\"1\"")
        .body(Map.of("weight", 7))
        .patch("/admin/tenants/" + name)
        .then()
        .statusCode(412)
        .contentType("application/problem+json")
        .body("code", equalTo("version_mismatch"));
    admin().get("/admin/tenants/" + name).then().body("weight", equalTo(5));
    // "parent": null detaches.
    admin()
        .body("{\"parent\": null}")
        .patch("/admin/tenants/" + name)
        .then()
        .statusCode(200)
        .body("parent", nullValue());
  }

  @Test
  void duplicatesAndCyclesAreRefused() {
    String a = Quota.tenant(null);
    String b = Quota.tenant(a);
    String c = Quota.tenant(b);
    admin().body(Map.of("name", a)).post("/admin/tenants").then().statusCode(409);
    admin()
        .body(Map.of("parent", c))
        .patch("/admin/tenants/" + a)
        .then()
        .statusCode(400)
        .body("detail", containsString("parent"));
    admin()
        .body(Map.of("parent", a))
        .patch("/admin/tenants/" + a)
        .then()
        .statusCode(400)
        .body("detail", containsString("parent"));
  }

  @Test
  void unknownTenantsFeaturesAndAccountsAre404() {
    admin().get("/admin/tenants/" + unique("nobody")).then().statusCode(404);
    admin()
        .body(Map.of("name", unique("t"), "parent", unique("nobody")))
        .post("/admin/tenants")
        .then()
        .statusCode(404)
        .body("detail", containsString("Parent"));
    admin()
        .body(Map.of("limit", 10))
        .put("/admin/tenants/" + unique("nobody") + "/budgets/tokens-per-minute")
        .then()
        .statusCode(404)
        .contentType("application/problem+json");
    String t = Quota.tenant(null);
    admin()
        .body(Map.of("limit", 10))
        .put("/admin/tenants/" + t + "/features/nofeature/budgets/tokens-per-minute")
        .then()
        .statusCode(404)
        .body("detail", containsString("nofeature"));
    admin()
        .body(Map.of("limit", 10))
        .put("/admin/accounts/" + unique("noacct") + "/budgets/tokens-per-minute")
        .then()
        .statusCode(404);
    admin()
        .body(Map.of("feature", "nofeature", "tier", "batch"))
        .post("/admin/tenants/" + t + "/keys")
        .then()
        .statusCode(404);
    admin().delete("/admin/keys/" + java.util.UUID.randomUUID()).then().statusCode(404);
    admin().delete("/admin/keys/not-a-uuid").then().statusCode(404);
  }

  @Test
  void badBudgetsAreRefusedNamingTheField() {
    String t = Quota.tenant(null);
    String path = "/admin/tenants/" + t + "/budgets/tokens-per-minute";
    for (Object limit : new Object[] {-1, 0, 1_000_000_000_001L}) {
      admin()
          .body(Map.of("limit", limit))
          .put(path)
          .then()
          .statusCode(400)
          .contentType("application/problem+json")
          .body("status", equalTo(400))
          .body("code", equalTo("invalid_request"))
          .body("detail", containsString("'limit'"));
    }
    admin().body("{}").put(path).then().statusCode(400).body("detail", containsString("'limit'"));
    admin()
        .body("{\"limit\": \"lots\"}")
        .put(path)
        .then()
        .statusCode(400)
        .body("detail", containsString("'limit'"));
    admin()
        .body("{\"limit\": 5, \"extra\": 1}")
        .put(path)
        .then()
        .statusCode(400)
        .body("detail", containsString("'extra'"));
    admin()
        .body(Map.of("limit", 5))
        .put("/admin/tenants/" + t + "/budgets/tokens-per-fortnight")
        .then()
        .statusCode(400)
        .body("detail", containsString("tokens-per-fortnight"));
    // Accounts limit only per-minute tokens and requests.
    String account = unique("acct");
    admin().body(Map.of("name", account)).post("/admin/accounts").then().statusCode(201);
    admin()
        .body(Map.of("limit", 5))
        .put("/admin/accounts/" + account + "/budgets/tokens-per-day")
        .then()
        .statusCode(400);
    admin()
        .body(Map.of("limit", 5))
        .put("/admin/accounts/" + account + "/budgets/requests-per-minute")
        .then()
        .statusCode(201);
    // Nothing was stored by the refused calls.
    admin().get(path).then().statusCode(404);
  }

  @Test
  void budgetsAreCreatedUpdatedAndDeleted() {
    String t = Quota.tenant(null);
    Quota.feature(t, "search");
    String path = "/admin/tenants/" + t + "/features/search/budgets/tokens-per-day";
    admin().body(Map.of("limit", 100)).put(path).then().statusCode(201).header("ETag", "\"1\"");
    admin()
        .body(Map.of("limit", 200))
        .put(path)
        .then()
        .statusCode(200)
        .body("limit", equalTo(200))
        .body("resource", equalTo("tenant/" + t + "/feature/search/tokens-per-day"));
    admin().get(path).then().statusCode(200).header("ETag", "\"2\"");
    admin().delete(path).then().statusCode(204);
    admin().get(path).then().statusCode(404);
  }

  @Test
  void malformedJsonAndWrongShapesAre400() {
    admin()
        .body("{\"name\": ")
        .post("/admin/tenants")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_json"));
    admin()
        .body("[1, 2]")
        .post("/admin/tenants")
        .then()
        .statusCode(400)
        .body("code", equalTo("invalid_json"));
    admin()
        .body(Map.of("name", "Not A Name!"))
        .post("/admin/tenants")
        .then()
        .statusCode(400)
        .body("detail", containsString("'name'"));
    admin()
        .body(Map.of("name", unique("t"), "weight", 0))
        .post("/admin/tenants")
        .then()
        .statusCode(400)
        .body("detail", containsString("'weight'"));
    admin()
        .body(Map.of("name", unique("t"), "weight", "heavy"))
        .post("/admin/tenants")
        .then()
        .statusCode(400)
        .body("detail", containsString("'weight'"));
    String t = Quota.tenant(null);
    Quota.feature(t, "chat");
    admin()
        .body(Map.of("feature", "chat", "tier", "platinum"))
        .post("/admin/tenants/" + t + "/keys")
        .then()
        .statusCode(400)
        .body("detail", containsString("'tier'"));
  }

  @Test
  void adminEndpointsNeedTheAdminKey() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("name", unique("t")))
        .post("/admin/tenants")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    Quota.as("sk-wrong")
        .body(Map.of("name", unique("t")))
        .post("/admin/tenants")
        .then()
        .statusCode(401);
    service().body(Map.of("name", unique("t"))).post("/admin/tenants").then().statusCode(403);
  }
}
