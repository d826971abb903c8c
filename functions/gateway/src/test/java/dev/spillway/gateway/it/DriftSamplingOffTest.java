package dev.spillway.gateway.it;

import static dev.spillway.gateway.it.DriftSamples.SAMPLED;
import static dev.spillway.gateway.it.DriftSamples.USAGE;
import static dev.spillway.gateway.it.DriftSamples.await;
import static dev.spillway.gateway.it.DriftSamples.find;
import static dev.spillway.gateway.it.DriftSamples.post;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** With the default configuration no query leaves the gateway, although an event sink is set. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class DriftSamplingOffTest {

  @Test
  void nothingIsSampledByDefault() throws Exception {
    String body =
        "{\"model\":\"sim-openai\",\"messages\":[{\"role\":\"user\",\"content\":\"private\"}]}";
    Response acme = post(UpstreamSimulatorResource.ACME_KEY, body);
    acme.then().statusCode(200);
    Response globex = post(UpstreamSimulatorResource.GLOBEX_KEY, body);
    globex.then().statusCode(200);
    // The usage events arrive at the same sink: had samples been sent, they would be there too.
    await(USAGE, acme.header("x-request-id"));
    await(USAGE, globex.header("x-request-id"));
    Thread.sleep(300);
    assertTrue(find(SAMPLED, acme.header("x-request-id")).isEmpty());
    assertTrue(find(SAMPLED, globex.header("x-request-id")).isEmpty());
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertFalse(metrics.contains("spillway_drift_samples_total"), "no sampler, no sample meter");
  }
}
