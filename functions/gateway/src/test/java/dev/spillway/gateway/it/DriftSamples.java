package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** What the drift sampling tests send, and how they find the events the test sink received. */
final class DriftSamples {

  static final String SAMPLED = "dev.spillway.query.sampled";
  static final String USAGE = "dev.spillway.usage.recorded";

  private DriftSamples() {}

  static Response post(String key, String body) {
    return given()
        .header("Authorization", "Bearer " + key)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/chat/completions");
  }

  static Optional<JsonObject> find(String type, String requestId) {
    return UpstreamSimulatorResource.EVENTS.stream()
        .filter(e -> type.equals(e.getString("ce-type")))
        .filter(e -> requestId.equals(e.getJsonObject("data").getString("request_id")))
        .findFirst();
  }

  /** Waits for an event of a request; events are sent off the request path. */
  static JsonObject await(String type, String requestId) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      Optional<JsonObject> event = find(type, requestId);
      if (event.isPresent()) {
        return event.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + type + " event for " + requestId + " within 10 s");
  }
}
