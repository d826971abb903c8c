package dev.spillway.drift.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.spillway.drift.it.EmbeddingFunction;
import dev.spillway.drift.it.EventSink;
import dev.spillway.lambda.events.Samples;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sampled queries and scheduled runs as the Lambda Web Adapter posts them to the pass-through path:
 * the AWS sample payloads from shared/lambda, into the same windows and runs as CloudEvents.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddingFunction.class)
@QuarkusTestResource(EventSink.class)
class PassThroughEventsTest {

  @Test
  void anSqsBatchOfSampledQueriesKeepsTheGoodOnesOnceAndReportsTheEmptyOne() {
    String t = DriftApiTest.tenant("sqs");
    String body =
        Samples.read(
            "sqs-query-sampled-batch.json",
            Map.of(
                "EVENT_ID", UUID.randomUUID().toString(),
                "TENANT", t,
                "TIME", Instant.now().toString()));
    for (int delivery = 0; delivery < 2; delivery++) {
      given()
          .contentType(ContentType.JSON)
          .body(body)
          .post("/events")
          .then()
          .statusCode(200)
          .body(
              "batchItemFailures.itemIdentifier",
              equalTo(List.of("7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")));
    }
    given()
        .header("Authorization", DriftApiTest.ADMIN)
        .get("/tenants/" + t + "/features/search/windows")
        .then()
        .statusCode(200)
        .body("[0].seen", equalTo(1));
  }

  @Test
  void aSchedulerInvocationAndAScheduleRuleBothStartARun() {
    for (String sample : List.of("scheduler-drift-run.json", "eventbridge-scheduled-event.json")) {
      given()
          .contentType(ContentType.JSON)
          .body(Samples.read(sample, Map.of()))
          .post("/events")
          .then()
          .statusCode(200)
          .body("status", equalTo("processed"));
    }
    io.restassured.RestAssured.get("/q/metrics")
        .then()
        .body(
            containsString(
                "spillway_events_passthrough_total{carrier=\"eventbridge\",outcome=\"processed\"}"));
  }

  @Test
  void aFunctionUrlCallerCannotStartARun() {
    given()
        .contentType(ContentType.JSON)
        .header("x-amzn-request-context", "{\"http\":{\"method\":\"POST\"}}")
        .body(Samples.read("scheduler-drift-run.json", Map.of()))
        .post("/events")
        .then()
        .statusCode(404);
    // Nor through Funqy's own paths: on Lambda runs come from EventBridge, samples from SQS.
    for (String path : List.of("/drift-run", "/query-sampled", "/")) {
      given()
          .contentType(ContentType.JSON)
          .header("x-amzn-request-context", "{}")
          .body("{}")
          .post(path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json");
    }
    given().contentType(ContentType.JSON).body("{}").post("/drift-run").then().statusCode(200);
  }

  @Test
  void anEventWithoutTextIsA400() {
    given()
        .contentType(ContentType.JSON)
        .body(
            "{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"s\","
                + "\"type\":\"dev.spillway.query.sampled\",\"data\":{\"tenant\":\"t\"}}")
        .post("/events")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", equalTo("The event has no 'text'."));
  }
}
