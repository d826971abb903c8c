package dev.spillway.simulator;

import static dev.spillway.simulator.SimulatorHttp.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.simulator.SimulatorHttp.Ending;
import dev.spillway.simulator.SimulatorHttp.Raw;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cut-at}: where {@code cut-mid} and {@code stall-mid} break an answer, on the wire, in both
 * dialects. Every request runs on its own connection so that the gauges can be checked back to 0.
 */
class CutPointDirectiveTest {

  private static final int TOKENS = 8;
  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";

  /** An OpenAI content delta; the first chunk's role delta does not match. */
  private static final String OPENAI_TOKEN = "\"delta\":{\"content\":";

  private static final String ANTHROPIC_TOKEN = "\"type\":\"text_delta\"";

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

  @BeforeEach
  void reset() {
    simulator.reset();
  }

  @AfterEach
  void nothingLeaks() {
    SimulatorHttp.awaitIdle(simulator);
  }

  private static String chat(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  private static String messages(String model, boolean stream) {
    return "{\"model\":\""
        + model
        + "\",\"max_tokens\":100,\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  }

  @Test
  void openAiStreamIsCutAfterTheNamedToken() {
    Raw raw = http.once(CHAT, chat("m@fault=cut-mid,cut-at=3", true));

    assertEquals(Ending.EOF, raw.ending());
    assertEquals(200, raw.status());
    assertEquals(3, count(raw.text(), OPENAI_TOKEN));
    assertFalse(raw.text().contains("\"finish_reason\":\""), "no finish chunk");
    assertFalse(raw.text().contains("[DONE]"));
  }

  @Test
  void anthropicStreamIsCutAfterTheNamedToken() {
    Raw raw = http.once(MESSAGES, messages("claude@fault=cut-mid,cut-at=5", true));

    assertEquals(Ending.EOF, raw.ending());
    assertEquals(5, count(raw.text(), ANTHROPIC_TOKEN));
    assertTrue(raw.text().contains("message_start"));
    assertFalse(raw.text().contains("content_block_stop"));
    assertFalse(raw.text().contains("message_stop"));
  }

  @Test
  void cutAtZeroSendsTheStartEventsOnly() {
    Raw raw = http.once(CHAT, chat("m@fault=cut-mid,cut-at=0", true));

    assertEquals(Ending.EOF, raw.ending());
    assertEquals(1, count(raw.text(), "data: {"), "the role chunk only");
    assertEquals(0, count(raw.text(), OPENAI_TOKEN));
  }

  @Test
  void cutAtBeyondTheAnswerSendsEveryTokenButNoFinish() {
    Raw raw = http.once(CHAT, chat("m@fault=cut-mid,cut-at=50", true));

    assertEquals(Ending.EOF, raw.ending());
    assertEquals(TOKENS, count(raw.text(), OPENAI_TOKEN));
    assertFalse(raw.text().contains("\"finish_reason\":\""));
    assertFalse(raw.text().contains("[DONE]"));
  }

  @Test
  void stallMidStallsAfterTheNamedToken() {
    Raw raw =
        http.raw(
            CHAT,
            chat("m@fault=stall-mid,cut-at=2,stall=5000", true),
            // Long enough for a cold JVM to send the first tokens; the stall lasts 5 s.
            Duration.ofSeconds(1),
            "Connection: close");

    assertEquals(Ending.TIMEOUT, raw.ending());
    assertEquals(2, count(raw.text(), OPENAI_TOKEN));
    assertFalse(raw.text().contains("[DONE]"));
  }

  // Content follows the body, so these two tests put the fault in headers: the cut answer is then
  // the same text as the whole one.
  @Test
  void openAiBodyIsCutAfterTheNamedTokensText() {
    String content =
        SimulatorHttp.parse(http.once(CHAT, chat("m", false)).body())
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();
    Raw raw = http.once(CHAT, chat("m", false), "x-sim-fault: cut-mid", "x-sim-cut-at: 3");

    assertEquals(Ending.EOF, raw.ending());
    assertEquals(200, raw.status());
    assertTrue(
        raw.body().endsWith("\"content\":\"" + firstWords(content, 3)),
        "body ends after the third token: " + raw.body());
    assertTrue(raw.body().length() < Integer.parseInt(raw.header("content-length")));
    assertFalse(SimulatorHttp.isJson(raw.body()));
  }

  @Test
  void anthropicBodyIsCutAfterTheNamedTokensText() {
    String text =
        SimulatorHttp.parse(http.once(MESSAGES, messages("claude", false)).body())
            .path("content")
            .get(0)
            .path("text")
            .asText();
    Raw raw =
        http.once(MESSAGES, messages("claude", false), "x-sim-fault: cut-mid", "x-sim-cut-at: 6");

    assertEquals(Ending.EOF, raw.ending());
    assertTrue(
        raw.body().endsWith("\"text\":\"" + firstWords(text, 6)),
        "body ends after the sixth token: " + raw.body());
    assertTrue(raw.body().length() < Integer.parseInt(raw.header("content-length")));
  }

  @Test
  void bodyStallsAfterTheNamedTokensText() {
    String content =
        SimulatorHttp.parse(http.once(CHAT, chat("m", false)).body())
            .path("choices")
            .get(0)
            .path("message")
            .path("content")
            .asText();
    Raw raw =
        http.raw(
            CHAT,
            chat("m", false),
            Duration.ofSeconds(1),
            "Connection: close",
            "x-sim-fault: stall-mid",
            "x-sim-cut-at: 2",
            "x-sim-stall-ms: 5000");

    assertEquals(Ending.TIMEOUT, raw.ending());
    assertTrue(raw.body().endsWith("\"content\":\"" + firstWords(content, 2)), raw.body());
  }

  @Test
  void headerWinsOverTheDirective() {
    Raw raw = http.once(CHAT, chat("m@fault=cut-mid,cut-at=6", true), "x-sim-cut-at: 1");

    assertEquals(1, count(raw.text(), OPENAI_TOKEN));
  }

  @Test
  void cutAtWithoutAMidStreamFaultChangesNothing() {
    Raw raw = http.once(CHAT, chat("m@cut-at=2", true));

    assertEquals(TOKENS, count(raw.text(), OPENAI_TOKEN));
    assertTrue(raw.text().contains("[DONE]"));
  }

  @Test
  void randomCutPointIsDeterministicForAFixedSeed() {
    List<Integer> first = randomCuts(http, 12);
    simulator.reset();
    List<Integer> afterReset = randomCuts(http, 12);
    List<Integer> otherSimulator;
    try (UpstreamSimulator twin = SimulatorHttp.startWithoutLatency(TOKENS)) {
      otherSimulator = randomCuts(new SimulatorHttp(twin), 12);
      SimulatorHttp.awaitIdle(twin);
    }

    assertEquals(first, afterReset, "reset restarts the sequence");
    assertEquals(first, otherSimulator, "same seed, same sequence, same cuts");
    assertTrue(first.stream().allMatch(cut -> cut >= 1 && cut <= TOKENS - 1), first.toString());
    assertTrue(first.stream().distinct().count() > 2, first.toString());
  }

  @Test
  void randomCutPointAppliesToAnthropicStreamsToo() {
    for (int i = 0; i < 6; i++) {
      Raw raw = http.once(MESSAGES, messages("claude@fault=cut-mid,cut-at=random", true));
      int tokens = count(raw.text(), ANTHROPIC_TOKEN);

      assertEquals(Ending.EOF, raw.ending());
      assertTrue(tokens >= 1 && tokens <= TOKENS - 1, "tokens " + tokens);
      assertFalse(raw.text().contains("message_stop"));
    }
  }

  private static List<Integer> randomCuts(SimulatorHttp client, int requests) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      Raw raw = client.once(CHAT, chat("m@fault=cut-mid,cut-at=random", true));
      assertEquals(Ending.EOF, raw.ending());
      cuts.add(count(raw.text(), OPENAI_TOKEN));
    }
    return cuts;
  }

  /** The text of an answer's first {@code n} tokens: words, each after the first with its space. */
  private static String firstWords(String text, int n) {
    return String.join(" ", List.of(text.split(" ")).subList(0, n));
  }
}
