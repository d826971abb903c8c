package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.SimulatorHttp.Ending;
import dev.spillway.simulator.SimulatorHttp.Raw;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Directives in the model name, the way a gateway under test reaches the simulator. */
class ModelDirectivesTest {

  private static UpstreamSimulator simulator;
  private static SimulatorHttp http;

  @BeforeAll
  static void start() {
    simulator = SimulatorHttp.startWithoutLatency(10);
    http = new SimulatorHttp(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static String body(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void directivesShapeTheAnswerAndAreNotEchoed() {
    JsonNode answer =
        SimulatorHttp.parse(
            http.post("/v1/chat/completions", body("gpt-4o-mini@tokens=3,usage=omit")).body());

    assertEquals("gpt-4o-mini", answer.path("model").asText());
    assertFalse(answer.has("usage"));
    assertEquals(
        3,
        answer.path("choices").get(0).path("message").path("content").asText().split(" ").length);
  }

  @Test
  void faultDirectiveInjectsTheFault() {
    HttpResponse<String> unavailable =
        http.post("/v1/chat/completions", body("gpt-4o-mini@fault=503,retry-after=4"));
    Raw cut =
        http.raw(
            "/v1/chat/completions",
            "{\"model\":\"m@fault=cut-mid,tokens=6\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Duration.ofSeconds(5));

    assertEquals(503, unavailable.statusCode());
    assertEquals("4", unavailable.headers().firstValue("retry-after").orElseThrow());
    assertEquals(Ending.EOF, cut.ending());
    assertFalse(cut.text().contains("[DONE]"));
  }

  @Test
  void slowTtftDirectiveDelaysTheFirstByte() {
    Raw stalled =
        http.raw(
            "/v1/chat/completions",
            "{\"model\":\"m@ttft=5000\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Duration.ofMillis(300));

    assertEquals(Ending.TIMEOUT, stalled.ending());
    assertEquals("", stalled.text(), "nothing, not even headers, before the first token");
  }

  @Test
  void unknownDirectiveGets400NamingIt() {
    HttpResponse<String> response =
        http.post("/v1/chat/completions", body("gpt-4o-mini@speed=fast"));

    assertEquals(400, response.statusCode());
    assertTrue(
        SimulatorHttp.parse(response.body())
            .path("error")
            .path("message")
            .asText()
            .contains("speed"));
  }

  @Test
  void headerDirectivesOverrideModelDirectives() {
    JsonNode answer =
        SimulatorHttp.parse(
            http.post(
                    "/v1/chat/completions",
                    body("m@tokens=3,fault=500"),
                    "x-sim-fault",
                    "none",
                    "x-sim-tokens",
                    "5")
                .body());

    assertEquals(5, answer.path("usage").path("completion_tokens").asInt());
  }
}
