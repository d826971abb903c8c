package dev.spillway.quota.it;

import static io.restassured.RestAssured.get;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthTest {

  @Test
  void readinessChecksTheDatabase() {
    get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
  }

  @Test
  void unknownPathsAndMethodsAreProblems() {
    get("/admin/nothing-here").then().statusCode(404).contentType("application/problem+json");
    get("/leases").then().statusCode(405).contentType("application/problem+json");
  }
}
