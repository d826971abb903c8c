package dev.spillway.gateway.it;

import static dev.spillway.gateway.it.DriftSamples.SAMPLED;
import static dev.spillway.gateway.it.DriftSamples.USAGE;
import static dev.spillway.gateway.it.DriftSamples.await;
import static dev.spillway.gateway.it.DriftSamples.find;
import static dev.spillway.gateway.it.DriftSamples.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Drift sampling switched on for one tenant: its admitted chat requests arrive at the sink (here
 * the usage events' sink, the default) as {@code dev.spillway.query.sampled} in binary mode.
 */
@QuarkusTest
@TestProfile(DriftSamplingTest.SampleAcme.class)
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class DriftSamplingTest {

  /** Every query of tenant {@code acme} is sampled; {@code globex} keeps the default, 0. */
  public static class SampleAcme implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.drift.sample-rates.\"acme/*\"", "1");
    }
  }

  private static final String CONVERSATION =
      """
      {"model":"%s","stream":%s,"messages":[
        {"role":"system","content":"You answer questions about rivers."},
        {"role":"user","content":"an earlier question"},
        {"role":"assistant","content":"an earlier answer"},
        {"role":"user","content":[
          {"type":"text","text":"Which river is longest?"},
          {"type":"image_url","image_url":{"url":"https://example.com/map.png"}},
          {"type":"text","text":"Use this map."}]}]}
      """;

  @Test
  void anAdmittedRequestOfASampledTenantYieldsAQuerySampledEvent() throws Exception {
    Response response =
        post(UpstreamSimulatorResource.ACME_KEY, CONVERSATION.formatted("sim-openai", false));
    response.then().statusCode(200);
    String requestId = response.header("x-request-id");

    JsonObject event = await(SAMPLED, requestId);
    assertEquals("1.0", event.getString("ce-specversion"));
    assertEquals("/spillway/gateway", event.getString("ce-source"));
    assertEquals("acme", event.getString("ce-subject"));
    assertNotNull(event.getString("ce-id"));
    JsonObject data = event.getJsonObject("data");
    assertEquals("acme", data.getString("tenant"));
    assertEquals("search", data.getString("feature"));
    assertEquals("sim-openai", data.getString("route"));
    assertEquals("Which river is longest?\nUse this map.", data.getString("text"));
    assertEquals(1.0, data.getDouble("sample_rate"));
    // The usage event is a separate event with its own id.
    JsonObject usage = await(USAGE, requestId);
    assertTrue(!usage.getString("ce-id").equals(event.getString("ce-id")));
  }

  @Test
  void streamsAreSampledToo() throws Exception {
    Response response =
        post(UpstreamSimulatorResource.ACME_KEY, CONVERSATION.formatted("sim-anthropic", true));
    response.then().statusCode(200);
    JsonObject data = await(SAMPLED, response.header("x-request-id")).getJsonObject("data");
    assertEquals("sim-anthropic", data.getString("route"));
    assertEquals("Which river is longest?\nUse this map.", data.getString("text"));
  }

  @Test
  void refusedRequestsAndOtherTenantsAreNotSampled() throws Exception {
    Response unknownModel =
        post(UpstreamSimulatorResource.ACME_KEY, CONVERSATION.formatted("no-such-model", false));
    unknownModel.then().statusCode(404);
    Response badField =
        post(
            UpstreamSimulatorResource.ACME_KEY,
            "{\"model\":\"sim-openai\",\"temperature\":\"hot\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"refused\"}]}");
    badField.then().statusCode(400);
    Response globex =
        post(UpstreamSimulatorResource.GLOBEX_KEY, CONVERSATION.formatted("sim-openai", false));
    globex.then().statusCode(200);
    // A later sampled request shows that the sink is receiving; then the others had their chance.
    Response admitted =
        post(UpstreamSimulatorResource.ACME_KEY, CONVERSATION.formatted("sim-openai", false));
    admitted.then().statusCode(200);
    await(SAMPLED, admitted.header("x-request-id"));
    await(USAGE, globex.header("x-request-id"));
    Thread.sleep(300);
    for (Response refused : new Response[] {unknownModel, badField, globex}) {
      String requestId = refused.header("x-request-id");
      assertNotNull(requestId);
      assertTrue(find(SAMPLED, requestId).isEmpty(), requestId + " was not sampled");
    }
  }

  @Test
  void samplesAreCountedInMetrics() throws Exception {
    Response response =
        post(UpstreamSimulatorResource.ACME_KEY, CONVERSATION.formatted("sim-openai", false));
    await(SAMPLED, response.header("x-request-id"));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double sent = 0;
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("spillway_drift_samples_total{") && line.contains("outcome=\"sent\"")) {
        sent = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    assertTrue(sent >= 1, "spillway_drift_samples_total{outcome=\"sent\"} counts the samples");
    assertTrue(metrics.contains("spillway_drift_samples_total{outcome=\"dropped\"}"), metrics);
  }
}
