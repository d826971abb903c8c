package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * An {@code auto} route end to end: the shipped MMLU router picks the cheap or the strong target by
 * the prompt's category and its floor, the response says which category and why, and a category
 * that cannot be told in time never costs quality.
 */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class QualityRoutingTest {

  static final String PITUITARY =
      "Which of the following is the body cavity that contains the pituitary gland?\\n"
          + "A. Abdominal\\nB. Cranial\\nC. Pleural\\nD. Spinal";

  private static String body(String prompt, boolean stream) {
    return """
        {"model":"auto","stream":%s,"messages":[{"role":"user","content":"%s"}]}
        """
        .formatted(stream, prompt);
  }

  private static RequestSpecification client() {
    return given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .contentType(ContentType.JSON);
  }

  private static Response post(RequestSpecification request, String body) {
    return request.body(body).post("/v1/chat/completions");
  }

  @Test
  void aCategoryWhoseFloorAllowsItGoesToTheCheapTarget() throws Exception {
    Response response =
        post(client().header("x-spillway-category", "anatomy"), body(PITUITARY, false));
    response
        .then()
        .statusCode(200)
        .header("x-spillway-upstream-model", "cheap-model")
        .header("x-spillway-route-category", "anatomy")
        .header("x-spillway-route-reason", "floor");
    // The usage event carries the decision and what the strong target would have cost.
    JsonObject data =
        AccountingTest.eventFor(response.header("x-request-id")).getJsonObject("data");
    assertEquals("anatomy", data.getString("route_category"));
    assertEquals("floor", data.getString("route_reason"));
    int prompt = data.getInteger("prompt_tokens");
    int completion = data.getInteger("completion_tokens");
    assertEquals(
        new BigDecimal(prompt * 0.15 + completion * 0.60).movePointLeft(6).doubleValue(),
        data.getDouble("cost_usd"),
        1e-12);
    assertEquals(
        new BigDecimal(prompt * 2.50 + completion * 10.00).movePointLeft(6).doubleValue(),
        data.getDouble("strongest_cost_usd"),
        1e-12);
  }

  @Test
  void aCategoryHeldToTheStrongModelsQualityGoesStrongAlsoWhenStreaming() {
    post(client().header("x-spillway-category", "college_physics"), body(PITUITARY, true))
        .then()
        .statusCode(200)
        .contentType(startsWith("text/event-stream"))
        .header("x-spillway-upstream-model", "strong-model")
        .header("x-spillway-route-category", "college_physics")
        .header("x-spillway-route-reason", "floor")
        .body(containsString("data: [DONE]"));
  }

  @Test
  void anUnknownCategoryIsA400NamingTheHeader() {
    post(client().header("x-spillway-category", "astrology"), body(PITUITARY, false))
        .then()
        .statusCode(400)
        .body("error.type", equalTo("invalid_request_error"))
        .body("error.param", equalTo("x-spillway-category"))
        .body("error.message", containsString("Unknown category 'astrology'"));
  }

  @Test
  void withoutACategoryTheClassifierLabelsThePrompt() {
    post(client(), body(PITUITARY, false))
        .then()
        .statusCode(200)
        .header("x-spillway-route-category", "anatomy")
        .header("x-spillway-upstream-model", "cheap-model");
  }

  @Test
  void aLateOrFailedClassifierSendsTheRequestToTheStrongTarget() {
    post(client(), body("A slow question about the cranial cavity.", false))
        .then()
        .statusCode(200)
        .header("x-spillway-route-reason", "fallback-timeout")
        .header("x-spillway-upstream-model", "strong-model");
    post(client(), body("A question the classifier refuses.", false))
        .then()
        .statusCode(200)
        .header("x-spillway-route-reason", "fallback-error")
        .header("x-spillway-upstream-model", "strong-model");
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("spillway_routing_decisions_total{reason=\"fallback-timeout\""));
  }
}
