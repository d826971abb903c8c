package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class ChatCompletionsTest {

  static final String WEATHER_TOOL =
      """
      [{"type":"function","function":{"name":"get_weather","description":"Weather for a city",
        "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},
        "required":["city"]}}}]
      """;

  static String body(String model, String extra) {
    return """
        {"model":"%s","messages":[{"role":"system","content":"You are terse."},
          {"role":"user","content":"Say something about rivers."}]%s}
        """
        .formatted(model, extra.isEmpty() ? "" : "," + extra);
  }

  static Response post(String body) {
    return given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/chat/completions");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim-openai", "sim-anthropic"})
  void nonStreamingCompletionWithUsageCostAndHeaders(String route) {
    Response response = post(body(route, "\"max_tokens\":64"));
    response
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .header("x-request-id", startsWith("req_"))
        .header("x-spillway-attempts", "1")
        .body("object", equalTo("chat.completion"))
        .body("choices[0].message.role", equalTo("assistant"))
        .body("choices[0].message.content", not(emptyOrNullString()))
        .body("choices[0].finish_reason", equalTo("stop"))
        .body("usage.prompt_tokens", greaterThan(0))
        .body("usage.completion_tokens", greaterThan(0));
    String provider = route.equals("sim-openai") ? "openai" : "anthropic";
    assertEquals(provider, response.header("x-spillway-provider"));
    int prompt = response.path("usage.prompt_tokens");
    int completion = response.path("usage.completion_tokens");
    assertEquals(
        expectedCost(prompt, completion), new BigDecimal(response.header("x-spillway-cost-usd")));
  }

  /** Test routes cost $1 per million input tokens and $2 per million output tokens. */
  static BigDecimal expectedCost(int prompt, int completion) {
    return BigDecimal.valueOf(prompt + 2L * completion)
        .divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim-openai", "sim-anthropic"})
  void streamingRelaysChunksThenUsageThenDone(String route) {
    Response response =
        post(body(route, "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    response.then().statusCode(200).contentType(startsWith("text/event-stream"));
    List<String> data = Sse.data(response.asString());
    assertEquals("[DONE]", data.get(data.size() - 1), "the stream ends with [DONE]");
    List<JsonObject> chunks = Sse.chunks(response.asString());
    assertEquals("chat.completion.chunk", chunks.get(0).getString("object"));
    assertEquals(
        "assistant",
        chunks
            .get(0)
            .getJsonArray("choices")
            .getJsonObject(0)
            .getJsonObject("delta")
            .getString("role"));
    assertFalse(Sse.content(chunks).isBlank(), "content arrived");
    assertTrue(chunks.size() > 3, "relayed chunk by chunk, not as one blob");
    JsonObject last = chunks.get(chunks.size() - 1);
    assertTrue(last.getJsonArray("choices").isEmpty(), "the usage chunk has no choices");
    assertTrue(last.getJsonObject("usage").getInteger("completion_tokens") > 0);
    JsonObject finish = chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0);
    assertEquals("stop", finish.getString("finish_reason"));
    assertTrue(response.asString().contains(": x-spillway-cost-usd "), "cost as an SSE comment");
  }

  @Test
  void streamingWithoutIncludeUsageSendsNoUsageChunk() {
    Response response = post(body("sim-openai", "\"stream\":true"));
    response.then().statusCode(200);
    for (JsonObject chunk : Sse.chunks(response.asString())) {
      assertFalse(chunk.getJsonArray("choices").isEmpty(), "no usage-only chunk: " + chunk);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim-openai", "sim-anthropic"})
  void toolCallsAreRelayed(String route) {
    post(body(route, "\"tools\":" + WEATHER_TOOL + ",\"tool_choice\":\"required\""))
        .then()
        .statusCode(200)
        .body("choices[0].finish_reason", equalTo("tool_calls"))
        .body("choices[0].message.tool_calls[0].type", equalTo("function"))
        .body("choices[0].message.tool_calls[0].function.name", equalTo("get_weather"))
        .body("choices[0].message.tool_calls[0].id", not(emptyOrNullString()));
    Response response = post(body(route, "\"tools\":" + WEATHER_TOOL));
    String arguments = response.path("choices[0].message.tool_calls[0].function.arguments");
    assertNotNull(new JsonObject(arguments).getValue("city"), "arguments are JSON: " + arguments);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sim-openai", "sim-anthropic"})
  void toolCallsStreamAsOpenAiDeltas(String route) {
    Response response = post(body(route, "\"stream\":true,\"tools\":" + WEATHER_TOOL));
    response.then().statusCode(200);
    StringBuilder arguments = new StringBuilder();
    String name = null;
    String finish = null;
    for (JsonObject chunk : Sse.chunks(response.asString())) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices.isEmpty()) {
        continue;
      }
      JsonObject choice = choices.getJsonObject(0);
      finish = choice.getString("finish_reason", finish);
      JsonArray calls = choice.getJsonObject("delta").getJsonArray("tool_calls");
      if (calls != null) {
        JsonObject function = calls.getJsonObject(0).getJsonObject("function");
        name = function.getString("name", name);
        arguments.append(function.getString("arguments", ""));
      }
    }
    assertEquals("get_weather", name);
    assertEquals("tool_calls", finish);
    assertNotNull(new JsonObject(arguments.toString()).getValue("city"));
  }

  @Test
  void jsonModesReturnJson() {
    Response object = post(body("sim-openai", "\"response_format\":{\"type\":\"json_object\"}"));
    object.then().statusCode(200);
    new JsonObject((String) object.path("choices[0].message.content"));

    Response schema =
        post(
            body(
                "sim-openai",
                """
                "response_format":{"type":"json_schema","json_schema":{"name":"river","schema":
                  {"type":"object","properties":{"name":{"type":"string"},"length_km":{"type":"number"}},
                   "required":["name","length_km"]}}}
                """));
    schema.then().statusCode(200);
    JsonObject parsed = new JsonObject((String) schema.path("choices[0].message.content"));
    assertTrue(parsed.containsKey("name") && parsed.containsKey("length_km"), parsed.encode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fallback-503",
        "fallback-429",
        "fallback-reset",
        "fallback-refused",
        "fallback-garbage"
      })
  void aFailureBeforeTheFirstByteFallsBackToTheNextTarget(String route) {
    post(body(route, ""))
        .then()
        .statusCode(200)
        .header("x-spillway-attempts", "2")
        .body("choices[0].message.content", not(emptyOrNullString()));
    Response stream = post(body(route, "\"stream\":true"));
    stream.then().statusCode(200).header("x-spillway-attempts", "2");
    assertEquals("[DONE]", Sse.data(stream.asString()).get(Sse.data(stream.asString()).size() - 1));
  }

  @Test
  void fallbackCrossesProviders() {
    post(body("fallback-503", ""))
        .then()
        .statusCode(200)
        .header("x-spillway-provider", "anthropic")
        .header("x-spillway-upstream-model", "claude-haiku-4-5");
  }

  @Test
  void everyTargetDownIsOneCleanBadGateway() {
    post(body("all-down", ""))
        .then()
        .statusCode(502)
        .body("error.type", equalTo("upstream_error"))
        .body("error.code", equalTo("upstream_unavailable"))
        .body("error.message", not(emptyOrNullString()));
    post(body("all-down", "\"stream\":true"))
        .then()
        .statusCode(502)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("upstream_unavailable"));
  }

  @Test
  void upstreamRateLimitsBecome429WithTheUpstreamsRetryAfter() {
    post(body("all-limited", ""))
        .then()
        .statusCode(429)
        .header("retry-after", "7")
        .body("error.type", equalTo("rate_limit_error"));
  }

  @Test
  void aStreamCutAfterOutputEndsWithAnErrorEventNotDone() {
    Response response = post(body("cut-mid-stream", "\"stream\":true"));
    response.then().statusCode(200);
    List<String> data = Sse.data(response.asString());
    String last = data.get(data.size() - 1);
    assertFalse(data.contains("[DONE]"), "a broken stream must not look complete");
    JsonObject error = new JsonObject(last).getJsonObject("error");
    assertNotNull(error, "terminal event in OpenAI's error shape: " + last);
    assertEquals("upstream_error", error.getString("type"));
    for (JsonObject chunk : Sse.chunks(response.asString())) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices != null && !choices.isEmpty()) {
        assertFalse(
            "stop".equals(choices.getJsonObject(0).getString("finish_reason")),
            "no finish_reason stop on a broken answer");
      }
    }
  }

  @Test
  void usageIsCountedWhenTheUpstreamReportsNone() {
    Response response = post(body("no-usage", ""));
    response
        .then()
        .statusCode(200)
        .body("usage.prompt_tokens", greaterThan(10))
        .body("usage.completion_tokens", greaterThan(0));
    Response stream =
        post(body("no-usage", "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    List<JsonObject> chunks = Sse.chunks(stream.asString());
    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    assertNotNull(usage, "a usage chunk is synthesized");
    assertTrue(usage.getInteger("prompt_tokens") > 10);
    assertTrue(usage.getInteger("completion_tokens") > 0);
  }

  @Test
  void aLargePromptIsCountedToo() {
    // Over UsageAccountant.INLINE_COUNT_MAX_CHARS: counted on a worker, not the event loop.
    String prompt = "rivers carry water to the sea ".repeat(4000);
    String body =
        "{\"model\":\"no-usage\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]";
    post(body + "}").then().statusCode(200).body("usage.prompt_tokens", greaterThan(20000));
    Response stream = post(body + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    List<JsonObject> chunks = Sse.chunks(stream.asString());
    assertTrue(
        chunks.get(chunks.size() - 1).getJsonObject("usage").getInteger("prompt_tokens") > 20000);
    assertEquals("[DONE]", Sse.data(stream.asString()).get(Sse.data(stream.asString()).size() - 1));
  }

  @Test
  void modelsListsRoutesNotUpstreamModels() {
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .get("/v1/models")
        .then()
        .statusCode(200)
        .body("object", equalTo("list"))
        .body("data.id", org.hamcrest.Matchers.hasItems("sim-openai", "fallback-503"))
        .body("data.id", not(org.hamcrest.Matchers.hasItem("gpt-4o-mini@fault=503")))
        .body("data[0].object", equalTo("model"));
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .get("/v1/models/sim-openai")
        .then()
        .statusCode(200)
        .body("id", equalTo("sim-openai"));
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .get("/v1/models/nope")
        .then()
        .statusCode(404)
        .body("error.code", equalTo("model_not_found"));
    given().get("/v1/models").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
  }

  @Test
  void healthIsUp() {
    given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
  }
}
