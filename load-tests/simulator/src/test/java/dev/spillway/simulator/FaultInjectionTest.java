package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.SimulatorHttp.Ending;
import dev.spillway.simulator.SimulatorHttp.Raw;
import dev.spillway.simulator.SimulatorHttp.SseEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  private static final int TOKENS = 8;
  private static final String CHAT = "/v1/chat/completions";
  private static final String BODY =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  private static final String STREAM_BODY =
      "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  private static final String JSON_MODE_BODY =
      "{\"model\":\"m\",\"response_format\":{\"type\":\"json_object\"},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

  /** How long a raw client waits for more bytes before concluding the server is stalling. */
  private static final Duration QUIET = Duration.ofMillis(300);

  private static UpstreamSimulator simulator;
  private static SimulatorHttp http;

  @BeforeAll
  static void start() {
    simulator = SimulatorHttp.startWithoutLatency(TOKENS);
    http = new SimulatorHttp(simulator);
    // The stall tests read "nothing more within QUIET" as a stall; on a cold JVM of a busy machine
    // the first stream alone can take longer than that, so load the streaming path once first.
    http.stream(CHAT, STREAM_BODY);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  @Test
  void rateLimitedGets429WithRetryAfter() {
    HttpResponse<String> byDefault = http.post(CHAT, BODY, "x-sim-fault", "429");
    HttpResponse<String> explicit =
        http.post(CHAT, BODY, "x-sim-fault", "429", "x-sim-retry-after", "7");

    assertEquals(429, byDefault.statusCode());
    assertEquals("1", byDefault.headers().firstValue("retry-after").orElseThrow());
    assertEquals(
        "rate_limit_exceeded",
        SimulatorHttp.parse(byDefault.body()).path("error").path("code").asText());
    assertEquals("7", explicit.headers().firstValue("retry-after").orElseThrow());
  }

  @Test
  void serverErrorsGetTheirStatusAndErrorBody() {
    HttpResponse<String> internal = http.post(CHAT, BODY, "x-sim-fault", "500");
    HttpResponse<String> unavailable = http.post(CHAT, BODY, "x-sim-fault", "503");

    assertEquals(500, internal.statusCode());
    assertEquals(
        "server_error", SimulatorHttp.parse(internal.body()).path("error").path("type").asText());
    assertEquals(503, unavailable.statusCode());
    assertTrue(unavailable.headers().firstValue("retry-after").isEmpty());
  }

  @Test
  void resetClosesTheConnectionWithoutAResponse() {
    Raw raw = http.raw(CHAT, BODY, Duration.ofSeconds(5), "x-sim-fault: reset");

    assertEquals("", raw.text());
    assertEquals(Ending.RESET, raw.ending());
    assertEquals(1, simulator.stats().faults(Fault.RESET));
  }

  @Test
  void stallFirstOnAStreamSendsHeadersThenNothing() {
    Raw raw =
        http.raw(CHAT, STREAM_BODY, QUIET, "x-sim-fault: stall-first", "x-sim-stall-ms: 5000");

    assertEquals(Ending.TIMEOUT, raw.ending());
    assertTrue(raw.text().startsWith("HTTP/1.1 200"), raw.text());
    assertTrue(raw.text().contains("text/event-stream"));
    assertFalse(raw.text().contains("data:"));
  }

  @Test
  void stallFirstWithoutStreamSendsNothingSoTheClientTimesOut() {
    HttpRequest request =
        http.request(CHAT, "x-sim-fault", "stall-first", "x-sim-stall-ms", "5000")
            .timeout(QUIET)
            .POST(HttpRequest.BodyPublishers.ofString(BODY))
            .build();

    assertThrows(
        HttpTimeoutException.class,
        () -> http.client().send(request, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void stallEndsByClosingTheConnection() {
    Raw raw =
        http.raw(
            CHAT, BODY, Duration.ofSeconds(5), "x-sim-fault: stall-first", "x-sim-stall-ms: 50");

    assertEquals(Ending.EOF, raw.ending());
    assertEquals("", raw.text());
  }

  @Test
  void stallMidSendsHalfTheTokensThenNothing() {
    Raw raw = http.raw(CHAT, STREAM_BODY, QUIET, "x-sim-fault: stall-mid", "x-sim-stall-ms: 5000");

    assertEquals(Ending.TIMEOUT, raw.ending());
    assertEquals(1 + TOKENS / 2, count(raw.text(), "data: {"));
    assertFalse(raw.text().contains("finish_reason\":\"stop"));
    assertFalse(raw.text().contains("[DONE]"));
  }

  @Test
  void cutMidStreamSendsHalfTheTokensThenClosesWithoutDone() {
    Raw raw = http.raw(CHAT, STREAM_BODY, Duration.ofSeconds(5), "x-sim-fault: cut-mid");

    assertEquals(Ending.EOF, raw.ending());
    assertEquals(1 + TOKENS / 2, count(raw.text(), "data: {"));
    assertFalse(raw.text().contains("[DONE]"));
    assertFalse(raw.text().contains("finish_reason\":\"stop"));
    assertFalse(raw.text().endsWith("0\r\n\r\n"), "the chunked body is never terminated");
  }

  @Test
  void cutMidWithoutStreamSendsLessBodyThanAnnounced() {
    Raw raw = http.raw(CHAT, BODY, Duration.ofSeconds(5), "x-sim-fault: cut-mid");

    assertEquals(Ending.EOF, raw.ending());
    String[] parts = raw.text().split("\r\n\r\n", 2);
    long announced =
        Long.parseLong(
            parts[0]
                .lines()
                .filter(line -> line.toLowerCase().startsWith("content-length:"))
                .findFirst()
                .orElseThrow()
                .substring("content-length:".length())
                .trim());
    assertTrue(parts[1].length() < announced, "received " + parts[1].length() + " of " + announced);
    assertFalse(SimulatorHttp.isJson(parts[1]));
  }

  @Test
  void emptyAnswersWithEmptyContentAndStop() {
    JsonNode body = SimulatorHttp.parse(http.post(CHAT, BODY, "x-sim-fault", "empty").body());

    assertEquals("", body.path("choices").get(0).path("message").path("content").asText());
    assertEquals("stop", body.path("choices").get(0).path("finish_reason").asText());
    assertEquals(0, body.path("usage").path("completion_tokens").asInt());
  }

  @Test
  void truncatedJsonIsAJsonDocumentCutInTheMiddle() {
    JsonNode body =
        SimulatorHttp.parse(
            http.post(CHAT, JSON_MODE_BODY, "x-sim-fault", "truncated-json").body());

    String content = body.path("choices").get(0).path("message").path("content").asText();
    assertTrue(content.startsWith("{\""), content);
    assertFalse(SimulatorHttp.isJson(content), content);
    assertEquals("stop", body.path("choices").get(0).path("finish_reason").asText());
  }

  @Test
  void invalidJsonAnswersProseDespiteJsonMode() {
    JsonNode body =
        SimulatorHttp.parse(http.post(CHAT, JSON_MODE_BODY, "x-sim-fault", "invalid-json").body());

    String content = body.path("choices").get(0).path("message").path("content").asText();
    assertFalse(content.isBlank());
    assertFalse(SimulatorHttp.isJson(content), content);
  }

  @Test
  void malformedBodyIsNotJsonAlthoughTheStatusIs200() {
    HttpResponse<String> plain = http.post(CHAT, BODY, "x-sim-fault", "malformed-body");
    List<SseEvent> streamed = http.stream(CHAT, STREAM_BODY, "x-sim-fault", "malformed-body");

    assertEquals(200, plain.statusCode());
    assertFalse(SimulatorHttp.isJson(plain.body()), plain.body());
    assertEquals(1, streamed.size());
    assertFalse(SimulatorHttp.isJson(streamed.get(0).data()));
  }

  @Test
  void adminRatesApplyToRequestsThatNameNoFaultAndResetClearsThem() {
    HttpResponse<String> set = http.post("/admin/faults", "{\"rates\":{\"503\":1.0}}");
    HttpResponse<String> drawn = http.post(CHAT, BODY);
    HttpResponse<String> suppressed = http.post(CHAT, BODY, "x-sim-fault", "none");
    JsonNode stats = SimulatorHttp.parse(http.get("/admin/stats").body());
    http.post("/admin/reset", "");
    HttpResponse<String> afterReset = http.post(CHAT, BODY);

    assertEquals(200, set.statusCode());
    assertEquals(1.0, SimulatorHttp.parse(set.body()).path("rates").path("503").asDouble());
    assertEquals(503, drawn.statusCode());
    assertEquals(200, suppressed.statusCode());
    assertEquals(1, stats.path("faultsInjected").path("503").asInt());
    assertEquals(200, afterReset.statusCode());
    assertEquals(FaultRates.NONE, simulator.faultRates());
  }

  @Test
  void adminRejectsUnknownFaultsAndImpossibleRates() {
    HttpResponse<String> unknown = http.post("/admin/faults", "{\"rates\":{\"teapot\":0.1}}");
    HttpResponse<String> tooMuch =
        http.post("/admin/faults", "{\"rates\":{\"500\":0.7,\"503\":0.7}}");

    assertEquals(400, unknown.statusCode());
    assertTrue(unknown.body().contains("teapot"));
    assertEquals(400, tooMuch.statusCode());
    assertEquals(Map.of(), simulator.faultRates().rates());
  }

  @Test
  void refuseMsStopsListeningThenListensAgain() {
    HttpResponse<String> refused = http.post("/admin/faults", "{\"refuseMs\":1500}");
    assertEquals(200, refused.statusCode());

    SimulatorHttp.eventually(
        () -> !accepts(simulator.port()), Duration.ofSeconds(5), "port closes");
    assertThrows(ConnectException.class, () -> connect(simulator.port()));
    SimulatorHttp.eventually(
        () -> accepts(simulator.port()), Duration.ofSeconds(10), "port reopens");
    assertEquals(200, http.post(CHAT, BODY).statusCode());
  }

  @Test
  void faultsAreCountedByKind() {
    http.post(CHAT, BODY, "x-sim-fault", "500");
    http.post(CHAT, BODY, "x-sim-fault", "500");
    http.post(CHAT, BODY, "x-sim-fault", "empty");

    SimulatorStats stats = simulator.stats();
    assertEquals(2, stats.faults(Fault.SERVER_ERROR));
    assertEquals(1, stats.faults(Fault.EMPTY));
    assertEquals(2, stats.responses(500));
    assertEquals(1, stats.responses(200));
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  private static boolean accepts(int port) {
    try {
      connect(port);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
    }
  }
}
