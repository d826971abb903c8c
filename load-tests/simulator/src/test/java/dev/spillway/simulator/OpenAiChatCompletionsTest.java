package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.SimulatorHttp.SseEvent;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiChatCompletionsTest {

  private static final int TOKENS = 12;
  private static final String CHAT = "/v1/chat/completions";
  // 44 characters of message text: ceil(44 / 4) = 11 prompt tokens.
  private static final String MESSAGES =
      "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
          + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What does a spillway do?\"},"
          + "{\"type\":\"text\",\"text\":\"Now.\"}]},"
          + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
          + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]}]";
  private static final String WEATHER_TOOLS =
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}},"
          + "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
          + "\"days\":{\"type\":\"integer\"},\"metric\":{\"type\":\"boolean\"},"
          + "\"hours\":{\"type\":\"array\",\"items\":{\"type\":\"number\"}},"
          + "\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]},"
          + "\"where\":{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\"}}}}}}}]";

  private static UpstreamSimulator simulator;
  private static SimulatorHttp http;

  @BeforeAll
  static void start() {
    simulator = SimulatorHttp.startWithoutLatency(TOKENS);
    http = new SimulatorHttp(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void nonStreamAnswerHasTheChatCompletionShape() {
    HttpResponse<String> response = http.post(CHAT, "{\"model\":\"gpt-4o-mini\"," + MESSAGES + "}");

    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    JsonNode body = SimulatorHttp.parse(response.body());
    assertTrue(body.path("id").asText().startsWith("chatcmpl-"));
    assertEquals("chat.completion", body.path("object").asText());
    assertTrue(body.path("created").asLong() > 0);
    assertEquals("gpt-4o-mini", body.path("model").asText());
    JsonNode choice = body.path("choices").get(0);
    assertEquals(0, choice.path("index").asInt());
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertFalse(choice.path("message").path("content").asText().isBlank());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertEquals(11, body.path("usage").path("prompt_tokens").asInt());
    assertEquals(TOKENS, body.path("usage").path("completion_tokens").asInt());
    assertEquals(11 + TOKENS, body.path("usage").path("total_tokens").asInt());
  }

  @Test
  void streamSendsRoleChunkOneTokenPerChunkFinishUsageAndDone() {
    List<SseEvent> events =
        http.stream(
            CHAT,
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},"
                + MESSAGES
                + "}");

    assertEquals(1 + TOKENS + 1 + 1 + 1, events.size());
    JsonNode first = events.get(0).json();
    assertEquals("chat.completion.chunk", first.path("object").asText());
    assertEquals("assistant", first.path("choices").get(0).path("delta").path("role").asText());
    StringBuilder content = new StringBuilder();
    for (SseEvent event : events.subList(1, 1 + TOKENS)) {
      JsonNode chunk = event.json();
      assertEquals(first.path("id").asText(), chunk.path("id").asText());
      JsonNode delta = chunk.path("choices").get(0).path("delta");
      assertFalse(delta.path("content").asText().isEmpty());
      assertTrue(chunk.path("choices").get(0).path("finish_reason").isNull());
      content.append(delta.path("content").asText());
    }
    assertFalse(content.toString().isBlank());
    JsonNode finish = events.get(1 + TOKENS).json();
    assertEquals("stop", finish.path("choices").get(0).path("finish_reason").asText());
    JsonNode usage = events.get(2 + TOKENS).json();
    assertEquals(0, usage.path("choices").size());
    assertEquals(TOKENS, usage.path("usage").path("completion_tokens").asInt());
    assertEquals(11, usage.path("usage").path("prompt_tokens").asInt());
    assertEquals(11 + TOKENS, usage.path("usage").path("total_tokens").asInt());
    assertEquals("[DONE]", events.get(events.size() - 1).data());
  }

  @Test
  void streamWithoutIncludeUsageSendsNoUsageChunk() {
    List<SseEvent> events = http.stream(CHAT, "{\"model\":\"m\",\"stream\":true," + MESSAGES + "}");

    assertEquals(1 + TOKENS + 1 + 1, events.size());
    for (SseEvent event : events.subList(0, events.size() - 1)) {
      assertFalse(event.json().has("usage"), event.data());
    }
    assertEquals("[DONE]", events.get(events.size() - 1).data());
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() {
    JsonNode legacy =
        SimulatorHttp.parse(
            http.post(CHAT, "{\"model\":\"m\",\"max_tokens\":5," + MESSAGES + "}").body());
    JsonNode current =
        SimulatorHttp.parse(
            http.post(CHAT, "{\"model\":\"m\",\"max_completion_tokens\":3," + MESSAGES + "}")
                .body());

    assertEquals("length", legacy.path("choices").get(0).path("finish_reason").asText());
    assertEquals(5, legacy.path("usage").path("completion_tokens").asInt());
    assertEquals("length", current.path("choices").get(0).path("finish_reason").asText());
    assertEquals(3, current.path("usage").path("completion_tokens").asInt());
  }

  @Test
  void streamedMaxTokensCutSendsThatManyChunks() {
    List<SseEvent> events =
        http.stream(CHAT, "{\"model\":\"m\",\"stream\":true,\"max_tokens\":4," + MESSAGES + "}");

    assertEquals(1 + 4 + 1 + 1, events.size());
    assertEquals(
        "length", events.get(5).json().path("choices").get(0).path("finish_reason").asText());
  }

  @Test
  void toolCallNamesTheChosenToolWithArgumentsFromItsSchema() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(
                    CHAT,
                    "{\"model\":\"m\","
                        + WEATHER_TOOLS
                        + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
                        + MESSAGES
                        + "}")
                .body());

    JsonNode choice = body.path("choices").get(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    assertTrue(choice.path("message").path("content").isNull());
    JsonNode call = choice.path("message").path("tool_calls").get(0);
    assertTrue(call.path("id").asText().startsWith("call_"));
    assertEquals("function", call.path("type").asText());
    assertEquals("get_weather", call.path("function").path("name").asText());
    JsonNode arguments = SimulatorHttp.parse(call.path("function").path("arguments").asText());
    assertTrue(arguments.path("city").isTextual());
    assertEquals(42, arguments.path("days").asInt());
    assertTrue(arguments.path("metric").asBoolean());
    assertTrue(arguments.path("hours").isArray());
    assertEquals(0, arguments.path("hours").size());
    assertEquals("celsius", arguments.path("unit").asText());
    assertEquals(42, arguments.path("where").path("lat").asInt());
  }

  @Test
  void toolCallWithoutToolChoiceCallsTheFirstTool() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(CHAT, "{\"model\":\"m\"," + WEATHER_TOOLS + "," + MESSAGES + "}").body());

    assertEquals(
        "lookup",
        body.path("choices")
            .get(0)
            .path("message")
            .path("tool_calls")
            .get(0)
            .path("function")
            .path("name")
            .asText());
  }

  @Test
  void toolChoiceNoneAnswersWithText() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(
                    CHAT,
                    "{\"model\":\"m\","
                        + WEATHER_TOOLS
                        + ",\"tool_choice\":\"none\","
                        + MESSAGES
                        + "}")
                .body());

    JsonNode choice = body.path("choices").get(0);
    assertEquals("stop", choice.path("finish_reason").asText());
    assertFalse(choice.path("message").has("tool_calls"));
    assertFalse(choice.path("message").path("content").asText().isBlank());
  }

  @Test
  void streamedToolCallUsesOpenAiDeltaShape() {
    List<SseEvent> events =
        http.stream(
            CHAT,
            "{\"model\":\"m\",\"stream\":true,"
                + WEATHER_TOOLS
                + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
                + MESSAGES
                + "}");

    JsonNode firstCall =
        events.get(0).json().path("choices").get(0).path("delta").path("tool_calls").get(0);
    assertEquals(0, firstCall.path("index").asInt());
    assertTrue(firstCall.path("id").asText().startsWith("call_"));
    assertEquals("function", firstCall.path("type").asText());
    assertEquals("get_weather", firstCall.path("function").path("name").asText());
    assertEquals("", firstCall.path("function").path("arguments").asText());

    StringBuilder arguments = new StringBuilder();
    for (SseEvent event : events.subList(1, events.size() - 2)) {
      JsonNode call = event.json().path("choices").get(0).path("delta").path("tool_calls").get(0);
      assertEquals(0, call.path("index").asInt());
      assertFalse(call.has("id"));
      arguments.append(call.path("function").path("arguments").asText());
    }
    assertTrue(events.size() > 4, "arguments arrive in several fragments");
    assertEquals(42, SimulatorHttp.parse(arguments.toString()).path("days").asInt());
    assertEquals(
        "tool_calls",
        events.get(events.size() - 2).json().path("choices").get(0).path("finish_reason").asText());
    assertEquals("[DONE]", events.get(events.size() - 1).data());
  }

  @Test
  void jsonObjectModeAnswersWithAJsonObject() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(
                    CHAT,
                    "{\"model\":\"m\",\"response_format\":{\"type\":\"json_object\"},"
                        + MESSAGES
                        + "}")
                .body());

    JsonNode content =
        SimulatorHttp.parse(body.path("choices").get(0).path("message").path("content").asText());
    assertTrue(content.isObject());
    assertFalse(content.path("answer").asText().isBlank());
  }

  @Test
  void jsonSchemaModeAnswersWithADocumentMatchingTheSchema() {
    String format =
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":"
            + "{\"type\":\"object\",\"properties\":{\"title\":{\"type\":\"string\"},"
            + "\"score\":{\"type\":\"number\"},\"tags\":{\"type\":\"array\"},"
            + "\"ok\":{\"type\":[\"boolean\",\"null\"]}},\"required\":[\"title\"]}}}";
    List<SseEvent> events =
        http.stream(CHAT, "{\"model\":\"m\",\"stream\":true," + format + "," + MESSAGES + "}");

    StringBuilder content = new StringBuilder();
    for (SseEvent event : events.subList(1, events.size() - 2)) {
      content.append(event.json().path("choices").get(0).path("delta").path("content").asText());
    }
    JsonNode document = SimulatorHttp.parse(content.toString());
    assertTrue(document.path("title").isTextual());
    assertEquals(42, document.path("score").asInt());
    assertTrue(document.path("tags").isArray());
    assertTrue(document.path("ok").asBoolean());
  }

  @Test
  void malformedRequestJsonGets400InOpenAiErrorShape() {
    HttpResponse<String> response = http.post(CHAT, "{\"model\": \"m\", \"messages\": [");

    assertEquals(400, response.statusCode());
    JsonNode error = SimulatorHttp.parse(response.body()).path("error");
    assertFalse(error.path("message").asText().isBlank());
    assertEquals("invalid_request_error", error.path("type").asText());
    assertTrue(error.has("param"));
    assertTrue(error.has("code"));
  }

  @Test
  void missingFieldsGet400NamingTheField() {
    HttpResponse<String> noModel = http.post(CHAT, "{" + MESSAGES + "}");
    HttpResponse<String> noMessages = http.post(CHAT, "{\"model\":\"m\"}");
    HttpResponse<String> badMax =
        http.post(CHAT, "{\"model\":\"m\",\"max_tokens\":0," + MESSAGES + "}");

    assertEquals(400, noModel.statusCode());
    assertEquals("model", SimulatorHttp.parse(noModel.body()).path("error").path("param").asText());
    assertEquals(400, noMessages.statusCode());
    assertEquals(
        "messages", SimulatorHttp.parse(noMessages.body()).path("error").path("param").asText());
    assertEquals(400, badMax.statusCode());
    assertEquals(
        "max_tokens", SimulatorHttp.parse(badMax.body()).path("error").path("param").asText());
  }

  @Test
  void usageOmitHeaderLeavesUsageOut() {
    HttpResponse<String> plain =
        http.post(CHAT, "{\"model\":\"m\"," + MESSAGES + "}", "x-sim-usage", "omit");
    List<SseEvent> streamed =
        http.stream(
            CHAT,
            "{\"model\":\"m@usage=omit\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + MESSAGES
                + "}");

    assertFalse(SimulatorHttp.parse(plain.body()).has("usage"));
    assertEquals(1 + TOKENS + 1 + 1, streamed.size());
    assertFalse(streamed.get(streamed.size() - 2).json().has("usage"));
  }

  @Test
  void modelsHealthAndUnknownPaths() {
    HttpResponse<String> models = http.get("/v1/models");
    HttpResponse<String> health = http.get("/health");
    HttpResponse<String> unknown = http.get("/v1/embeddings");

    assertEquals(200, models.statusCode());
    assertEquals("list", SimulatorHttp.parse(models.body()).path("object").asText());
    assertEquals(200, health.statusCode());
    assertEquals("UP", SimulatorHttp.parse(health.body()).path("status").asText());
    assertEquals(404, unknown.statusCode());
    assertEquals(
        "invalid_request_error",
        SimulatorHttp.parse(unknown.body()).path("error").path("type").asText());
  }

  @Test
  void requiredApiKeyIsCheckedInEitherProvidersHeader() {
    try (UpstreamSimulator guarded =
        UpstreamSimulator.start(
            SimulatorOptions.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .defaultProfile(new ModelProfile(0, 0, 0, 0, 2))
                .model("listed-model", ModelProfile.DEFAULT)
                .apiKey("sk-test")
                .build())) {
      SimulatorHttp guardedHttp = new SimulatorHttp(guarded);
      String body = "{\"model\":\"m\"," + MESSAGES + "}";

      HttpResponse<String> missing = guardedHttp.post(CHAT, body);
      HttpResponse<String> wrong = guardedHttp.post(CHAT, body, "Authorization", "Bearer sk-no");
      HttpResponse<String> bearer = guardedHttp.post(CHAT, body, "Authorization", "Bearer sk-test");
      HttpResponse<String> xApiKey = guardedHttp.post(CHAT, body, "x-api-key", "sk-test");
      HttpResponse<String> models = guardedHttp.get("/v1/models", "x-api-key", "sk-test");

      assertEquals(401, missing.statusCode());
      assertEquals(
          "invalid_api_key",
          SimulatorHttp.parse(missing.body()).path("error").path("code").asText());
      assertEquals(401, wrong.statusCode());
      assertEquals(200, bearer.statusCode());
      assertEquals(200, xApiKey.statusCode());
      assertEquals(
          "listed-model",
          SimulatorHttp.parse(models.body()).path("data").get(0).path("id").asText());
    }
  }
}
