package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.SimulatorHttp.SseEvent;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicMessagesTest {

  private static final int TOKENS = 10;
  private static final String MESSAGES_PATH = "/v1/messages";
  // 19 + 8 + 11 characters of text (the image counts for nothing): ceil(38 / 4) = 10 tokens.
  private static final String CONVERSATION =
      "\"system\":[{\"type\":\"text\",\"text\":\"You answer briefly.\"}],"
          + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Describe\"},"
          + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}}]},"
          + "{\"role\":\"assistant\",\"content\":\"the picture\"}]";
  private static final String TOOLS =
      "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\",\"input_schema\":"
          + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}}}},"
          + "{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"zone\":{\"type\":\"string\"}}}}]";

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
  void nonStreamAnswerHasTheMessageShape() {
    HttpResponse<String> response =
        http.post(
            MESSAGES_PATH,
            "{\"model\":\"claude-3-5-haiku\",\"max_tokens\":100," + CONVERSATION + "}",
            "anthropic-version",
            "2023-06-01");

    assertEquals(200, response.statusCode());
    JsonNode body = SimulatorHttp.parse(response.body());
    assertTrue(body.path("id").asText().startsWith("msg_"));
    assertEquals("message", body.path("type").asText());
    assertEquals("assistant", body.path("role").asText());
    assertEquals("claude-3-5-haiku", body.path("model").asText());
    assertEquals("text", body.path("content").get(0).path("type").asText());
    assertFalse(body.path("content").get(0).path("text").asText().isBlank());
    assertEquals("end_turn", body.path("stop_reason").asText());
    assertTrue(body.path("stop_sequence").isNull());
    assertEquals(10, body.path("usage").path("input_tokens").asInt());
    assertEquals(TOKENS, body.path("usage").path("output_tokens").asInt());
  }

  @Test
  void maxTokensCutReportsStopReasonMaxTokens() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(MESSAGES_PATH, "{\"model\":\"c\",\"max_tokens\":3," + CONVERSATION + "}")
                .body());

    assertEquals("max_tokens", body.path("stop_reason").asText());
    assertEquals(3, body.path("usage").path("output_tokens").asInt());
  }

  @Test
  void streamFollowsTheMessagesEventSequence() {
    List<SseEvent> events =
        http.stream(
            MESSAGES_PATH,
            "{\"model\":\"c\",\"max_tokens\":100,\"stream\":true," + CONVERSATION + "}");

    List<String> expected =
        new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
    expected.addAll(Collections.nCopies(TOKENS, "content_block_delta"));
    expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
    assertEquals(expected, events.stream().map(SseEvent::event).toList());
    for (SseEvent event : events) {
      assertEquals(event.event(), event.json().path("type").asText(), "data type matches event");
    }
    JsonNode start = events.get(0).json().path("message");
    assertTrue(start.path("id").asText().startsWith("msg_"));
    assertEquals(10, start.path("usage").path("input_tokens").asInt());
    assertEquals("text", events.get(1).json().path("content_block").path("type").asText());
    StringBuilder text = new StringBuilder();
    for (SseEvent delta : events.subList(3, 3 + TOKENS)) {
      assertEquals("text_delta", delta.json().path("delta").path("type").asText());
      text.append(delta.json().path("delta").path("text").asText());
    }
    assertFalse(text.toString().isBlank());
    JsonNode messageDelta = events.get(events.size() - 2).json();
    assertEquals("end_turn", messageDelta.path("delta").path("stop_reason").asText());
    assertEquals(TOKENS, messageDelta.path("usage").path("output_tokens").asInt());
  }

  @Test
  void missingMaxTokensGets400InAnthropicErrorShape() {
    HttpResponse<String> response =
        http.post(MESSAGES_PATH, "{\"model\":\"c\"," + CONVERSATION + "}");

    assertEquals(400, response.statusCode());
    JsonNode body = SimulatorHttp.parse(response.body());
    assertEquals("error", body.path("type").asText());
    assertEquals("invalid_request_error", body.path("error").path("type").asText());
    assertTrue(body.path("error").path("message").asText().contains("max_tokens"));
  }

  @Test
  void toolUseAnswerCallsTheChosenTool() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(
                    MESSAGES_PATH,
                    "{\"model\":\"c\",\"max_tokens\":100,"
                        + TOOLS
                        + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"},"
                        + CONVERSATION
                        + "}")
                .body());

    assertEquals("tool_use", body.path("stop_reason").asText());
    JsonNode block = body.path("content").get(0);
    assertEquals("tool_use", block.path("type").asText());
    assertTrue(block.path("id").asText().startsWith("toolu_"));
    assertEquals("get_weather", block.path("name").asText());
    assertTrue(block.path("input").path("city").isTextual());
    assertEquals(42, block.path("input").path("days").asInt());
  }

  @Test
  void toolChoiceNoneAnswersWithText() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(
                    MESSAGES_PATH,
                    "{\"model\":\"c\",\"max_tokens\":100,"
                        + TOOLS
                        + ",\"tool_choice\":{\"type\":\"none\"},"
                        + CONVERSATION
                        + "}")
                .body());

    assertEquals("end_turn", body.path("stop_reason").asText());
    assertEquals("text", body.path("content").get(0).path("type").asText());
  }

  @Test
  void streamedToolUseSendsInputJsonDeltas() {
    List<SseEvent> events =
        http.stream(
            MESSAGES_PATH,
            "{\"model\":\"c\",\"max_tokens\":100,\"stream\":true,"
                + TOOLS
                + ",\"tool_choice\":{\"type\":\"any\"},"
                + CONVERSATION
                + "}");

    JsonNode block = events.get(1).json().path("content_block");
    assertEquals("tool_use", block.path("type").asText());
    assertEquals("get_weather", block.path("name").asText());
    assertTrue(block.path("input").isObject());
    StringBuilder partial = new StringBuilder();
    for (SseEvent event : events) {
      if ("content_block_delta".equals(event.event())) {
        assertEquals("input_json_delta", event.json().path("delta").path("type").asText());
        partial.append(event.json().path("delta").path("partial_json").asText());
      }
    }
    assertEquals(42, SimulatorHttp.parse(partial.toString()).path("days").asInt());
    assertEquals(
        "tool_use",
        events.get(events.size() - 2).json().path("delta").path("stop_reason").asText());
  }

  @Test
  void faultsUseAnthropicErrorTypes() {
    HttpResponse<String> overloaded =
        http.post(
            MESSAGES_PATH, "{\"model\":\"c@fault=503\",\"max_tokens\":5," + CONVERSATION + "}");
    HttpResponse<String> limited =
        http.post(
            MESSAGES_PATH,
            "{\"model\":\"c\",\"max_tokens\":5," + CONVERSATION + "}",
            "x-sim-fault",
            "429");

    assertEquals(503, overloaded.statusCode());
    assertEquals(
        "overloaded_error",
        SimulatorHttp.parse(overloaded.body()).path("error").path("type").asText());
    assertEquals(429, limited.statusCode());
    assertEquals("1", limited.headers().firstValue("retry-after").orElseThrow());
    assertEquals(
        "rate_limit_error",
        SimulatorHttp.parse(limited.body()).path("error").path("type").asText());
    assertNull(SimulatorHttp.parse(limited.body()).get("usage"));
  }
}
