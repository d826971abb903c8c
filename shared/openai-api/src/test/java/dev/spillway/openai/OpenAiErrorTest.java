package dev.spillway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenAiErrorTest {

  @Test
  void rendersOpenAisErrorShapeWithExplicitNulls() {
    var json = new OpenAiError("bad", "invalid_request_error", null, "x").toJson();
    assertEquals("bad", json.path("error").path("message").asText());
    assertEquals("invalid_request_error", json.path("error").path("type").asText());
    assertTrue(json.path("error").has("param"), "param is present even when null");
    assertTrue(json.path("error").path("param").isNull());
    assertEquals("x", json.path("error").path("code").asText());
  }
}
