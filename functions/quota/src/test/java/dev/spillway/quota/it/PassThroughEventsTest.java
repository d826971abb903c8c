package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.spillway.lambda.events.Samples;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Usage events as the Lambda Web Adapter posts them to the pass-through path: the AWS sample
 * payloads from shared/lambda, consumed by the same ledger as CloudEvents over HTTP.
 */
@QuarkusTest
class PassThroughEventsTest {

  private static void assertUsage(String tenant, int requests, int promptTokens) {
    admin()
        .queryParam("tenant", tenant)
        .queryParam("from", "2026-01-15")
        .queryParam("to", "2026-01-15")
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows", hasSize(1))
        .body("rows[0].requests", equalTo(requests))
        .body("rows[0].prompt_tokens", equalTo(promptTokens));
  }

  @Test
  void anSqsBatchCountsItsGoodRecordsOnceAndReportsOnlyTheBadOnes() {
    String tenant = Quota.tenant(null);
    String body =
        Samples.read(
            "sqs-usage-batch.json",
            Map.of("EVENT_ID", UUID.randomUUID().toString(), "TENANT", tenant));
    given()
        .contentType("application/json")
        .body(body)
        .post("/events")
        .then()
        .statusCode(200)
        .body(
            "batchItemFailures.itemIdentifier",
            equalTo(
                List.of(
                    "2e1424d4-f796-459a-8184-9c92662be6da",
                    "c2f8a1d4-6b3e-4e0f-8a9d-2f1b7c6e5d43")));
    // The first and third records carry the same event: counted once.
    assertUsage(tenant, 1, 100);
    // Lambda redelivers the whole batch if the function crashed: still counted once.
    given().contentType("application/json").body(body).post("/events").then().statusCode(200);
    assertUsage(tenant, 1, 100);
    io.restassured.RestAssured.get("/q/metrics")
        .then()
        .body(
            containsString(
                "spillway_events_passthrough_total{carrier=\"sqs\",outcome=\"processed\"}"));
  }

  @Test
  void anEventBridgeEventIsCountedLikeACloudEvent() {
    String tenant = Quota.tenant(null);
    given()
        .contentType("application/json")
        .body(
            Samples.read(
                "eventbridge-usage-recorded.json",
                Map.of("EVENT_ID", UUID.randomUUID().toString(), "TENANT", tenant)))
        .post("/events")
        .then()
        .statusCode(200)
        .body("status", equalTo("processed"))
        .body("type", equalTo("dev.spillway.usage.recorded"));
    assertUsage(tenant, 1, 7);
  }

  @Test
  void aFunctionUrlCallerCannotReachThePassThroughPath() {
    String tenant = Quota.tenant(null);
    // What the adapter sends for an HTTP invocation: the request context of the function URL.
    given()
        .contentType("application/json")
        .header("x-amzn-request-context", "{\"http\":{\"method\":\"POST\",\"path\":\"/events\"}}")
        .body(
            Samples.read(
                "eventbridge-usage-recorded.json",
                Map.of("EVENT_ID", UUID.randomUUID().toString(), "TENANT", tenant)))
        .post("/events")
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"));
    admin()
        .queryParam("tenant", tenant)
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows", hasSize(0));
  }

  @Test
  void theFunqyEventPathsAreClosedToFunctionUrlCallersToo() {
    String tenant = Quota.tenant(null);
    String event =
        "{\"specversion\":\"1.0\",\"id\":\""
            + UUID.randomUUID()
            + "\",\"source\":\"x\","
            + "\"type\":\"dev.spillway.usage.recorded\",\"time\":\"2026-01-15T10:00:00Z\","
            + "\"data\":{\"request_id\":\"r\",\"tenant\":\""
            + tenant
            + "\",\"prompt_tokens\":5,"
            + "\"completion_tokens\":1,\"outcome\":\"success\"}}";
    for (String path : List.of("/", "/usage-recorded")) {
      given()
          .contentType("application/cloudevents+json")
          .header("x-amzn-request-context", "{}")
          .body(event)
          .post(path)
          .then()
          .statusCode(404)
          .contentType(startsWith("application/problem+json"))
          .body("code", equalTo("not_found"));
    }
    admin()
        .queryParam("tenant", tenant)
        .get("/usage")
        .then()
        .statusCode(200)
        .body("rows", hasSize(0));
    // The same structured event without the header (Knative, local) is counted.
    given()
        .contentType("application/cloudevents+json")
        .body(event)
        .post("/")
        .then()
        .statusCode(204);
    assertUsage(tenant, 1, 5);
  }

  @Test
  void whatCannotBeCountedIsA400ThatNamesTheProblem() {
    given()
        .contentType("application/json")
        .body(Samples.read("eventbridge-scheduled-event.json", Map.of()))
        .post("/events")
        .then()
        .statusCode(400)
        .contentType(startsWith("application/problem+json"))
        .body(
            "detail",
            equalTo(
                "No consumer here takes events of type 'Scheduled Event'; this function takes"
                    + " [dev.spillway.usage.recorded]."));
    given()
        .contentType("application/json")
        .body("{\"hello\":1}")
        .post("/events")
        .then()
        .statusCode(400)
        .body("detail", containsString("neither an SQS batch"));
    given()
        .contentType("application/json")
        .body(
            "{\"version\":\"0\",\"id\":\"x-1\",\"detail-type\":\"dev.spillway.usage.recorded\","
                + "\"source\":\"s\",\"detail\":{\"tenant\":\"t\",\"prompt_tokens\":\"many\"}}")
        .post("/events")
        .then()
        .statusCode(400)
        .body("detail", containsString("prompt_tokens"));
  }
}
