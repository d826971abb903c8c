package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Usage events and metrics: what finance and SRE see of each request. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class AccountingTest {

  private static Response post(String key, String model, boolean stream) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\""
                + model
                + "\",\"stream\":"
                + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"count me\"}]}")
        .post("/v1/chat/completions");
  }

  /** Waits for the event of a request; events are sent off the request path. */
  static JsonObject eventFor(String requestId) throws Exception {
    try {
      return UpstreamSimulatorResource.eventFor(requestId).get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no usage event for " + requestId + " within 10 s");
    }
  }

  @Test
  void eachRequestEmitsAUsageCloudEvent() throws Exception {
    Response response = post(UpstreamSimulatorResource.GLOBEX_KEY, "fallback-503", false);
    response.then().statusCode(200);
    JsonObject event = eventFor(response.header("x-request-id"));
    assertEquals("1.0", event.getString("ce-specversion"));
    assertEquals("dev.spillway.usage.recorded", event.getString("ce-type"));
    assertEquals("/spillway/gateway", event.getString("ce-source"));
    assertEquals("globex", event.getString("ce-subject"));
    assertNotNull(event.getString("ce-id"));
    JsonObject data = event.getJsonObject("data");
    assertEquals("globex", data.getString("tenant"));
    assertEquals("batch-jobs", data.getString("feature"));
    assertEquals("fallback-503", data.getString("route"));
    assertEquals("anthropic", data.getString("provider"));
    assertEquals("claude-haiku-4-5", data.getString("model"));
    assertEquals("success", data.getString("outcome"));
    assertEquals(2, data.getInteger("attempts"));
    assertEquals(response.path("usage.prompt_tokens"), data.getInteger("prompt_tokens"));
    assertEquals(response.path("usage.completion_tokens"), data.getInteger("completion_tokens"));
    assertEquals(
        new BigDecimal(response.header("x-spillway-cost-usd")),
        new BigDecimal(data.getValue("cost_usd").toString()).setScale(8));
    assertTrue(data.getDouble("duration_ms") > 0);
  }

  @Test
  void streamsRecordTtftAndFailuresRecordTheirOutcome() throws Exception {
    Response stream = post(UpstreamSimulatorResource.ACME_KEY, "sim-openai", true);
    stream.then().statusCode(200);
    JsonObject data = eventFor(stream.header("x-request-id")).getJsonObject("data");
    assertTrue(data.getBoolean("stream"));
    assertTrue(data.getDouble("ttft_ms") > 0);
    assertTrue(data.getDouble("duration_ms") >= data.getDouble("ttft_ms"));

    Response failed = post(UpstreamSimulatorResource.ACME_KEY, "all-down", false);
    failed.then().statusCode(502);
    JsonObject failure = eventFor(failed.header("x-request-id")).getJsonObject("data");
    assertEquals("upstream_error", failure.getString("outcome"));
    assertEquals(2, failure.getInteger("attempts"));
    assertEquals(0, failure.getInteger("prompt_tokens"));
  }

  @Test
  void metricsUseGenAiNamesWithBoundedLabels() {
    post(UpstreamSimulatorResource.ACME_KEY, "sim-anthropic", true).then().statusCode(200);
    post(UpstreamSimulatorResource.ACME_KEY, "sim-anthropic", false).then().statusCode(200);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    String labels = "provider=\"anthropic\",route=\"sim-anthropic\",tenant=\"acme\"";
    for (String name :
        new String[] {
          "gen_ai_server_time_to_first_token_seconds_count",
          "gen_ai_server_time_per_output_token_seconds_count",
          "gen_ai_server_request_duration_seconds_count",
          "gen_ai_client_token_usage_tokens_count",
          "spillway_cost_usd_total",
          "spillway_requests_total",
        }) {
      assertTrue(
          metrics
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith(name)
                          && l.contains("route=\"sim-anthropic\"")
                          && l.contains("tenant=\"acme\"")),
          name + " with labels " + labels + " is exported");
    }
    given().get("/q/metrics").then().body(containsString("spillway_events_sent_total"));
  }
}
