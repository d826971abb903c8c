package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What the gateway sends upstream, seen by a capturing OpenAI-compatible server. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class UpstreamRequestTest {

  @Test
  void unknownFieldsPassThroughModelIsRewrittenAndTheClientKeyStaysHome() {
    UpstreamSimulatorResource.CAPTURED.clear();
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .contentType(ContentType.JSON)
        .body(
            """
            {"model":"capture","messages":[{"role":"user","content":"hi"}],
             "logit_bias":{"50256":-100},"parallel_tool_calls":false,"vendor_extension":{"a":1},
             "seed":7,"metadata":{"trace":"t1"},"user":"end-user-1"}
            """)
        .post("/v1/chat/completions")
        .then()
        .statusCode(200)
        .header("x-spillway-upstream-model", "upstream-model-name");

    assertEquals(1, UpstreamSimulatorResource.CAPTURED.size());
    JsonObject captured = UpstreamSimulatorResource.CAPTURED.get(0);
    JsonObject body = captured.getJsonObject("body");
    assertEquals("upstream-model-name", body.getString("model"));
    assertEquals(-100, body.getJsonObject("logit_bias").getInteger("50256"));
    assertEquals(false, body.getBoolean("parallel_tool_calls"));
    assertEquals(1, body.getJsonObject("vendor_extension").getInteger("a"));
    assertEquals(7, body.getInteger("seed"));
    assertEquals("end-user-1", body.getString("user"));
    assertEquals("Bearer sk-capture-upstream", captured.getString("authorization"));
    assertFalse(captured.encode().contains(UpstreamSimulatorResource.ACME_KEY));
  }
}
