package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.simulator.SimulatorHttp.Raw;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code flap} and {@code fault-rate}: providers that fail for stretches of time or for a share of
 * requests. Every request runs on its own connection so that the gauges can be checked back to 0.
 */
class FlakyProviderTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String MESSAGES = "/v1/messages";

  private static UpstreamSimulator simulator;
  private static SimulatorHttp http;

  @BeforeAll
  static void start() {
    simulator = SimulatorHttp.startWithoutLatency(4);
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

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static String streamedChat(String model) {
    return "{\"model\":\""
        + model
        + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void flappingProviderAlternatesBetweenFailingAndHealthy() {
    int failed = 0;
    int healthy = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // Windows of 200 ms: polling every 30 ms lands in both kinds within a few windows; the loop
    // goes on a little after seeing both so that a second switch is likely seen too.
    while ((failed < 3 || healthy < 3) && System.nanoTime() < deadline) {
      int status = http.once(CHAT, chat("m@fault=503,flap=200")).status();
      if (status == 503) {
        failed++;
      } else {
        assertEquals(200, status);
        healthy++;
      }
      SimulatorHttp.pause(30);
    }

    assertTrue(failed >= 3, "failed " + failed);
    assertTrue(healthy >= 3, "healthy " + healthy);
    assertEquals(failed, simulator.stats().faults(Fault.UNAVAILABLE), "only applied faults count");
  }

  @Test
  void flapHeaderGatesAStreamFault() {
    boolean cut = false;
    boolean whole = false;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!(cut && whole) && System.nanoTime() < deadline) {
      Raw raw = http.once(CHAT, streamedChat("m"), "x-sim-fault: cut-mid", "x-sim-flap-ms: 200");
      if (raw.text().contains("[DONE]")) {
        whole = true;
      } else {
        cut = true;
      }
      SimulatorHttp.pause(30);
    }

    assertTrue(cut, "a cut stream in a faulty window");
    assertTrue(whole, "a whole stream in a healthy window");
  }

  @Test
  void faultRateFailsAboutThatShareOfRequests() {
    int requests = 400;
    int failed = 0;
    for (int i = 0; i < requests; i++) {
      int status = http.once(CHAT, chat("m@fault=503,fault-rate=0.25")).status();
      if (status == 503) {
        failed++;
      } else {
        assertEquals(200, status);
      }
    }

    // Expected 100, standard deviation about 9: the band is over five deviations wide each way.
    assertTrue(failed > 50 && failed < 150, "failed " + failed + " of " + requests);
    assertEquals(failed, simulator.stats().faults(Fault.UNAVAILABLE));
    assertEquals(requests - failed, simulator.stats().responses(200));
  }

  @Test
  void faultRateHeaderWinsOverTheDirective() {
    for (int i = 0; i < 20; i++) {
      Raw raw =
          http.once(
              MESSAGES,
              "{\"model\":\"claude@fault=500,fault-rate=1\",\"max_tokens\":10,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
              "x-sim-fault-rate: 0");
      assertEquals(200, raw.status());
    }
    assertEquals(0, simulator.stats().faults(Fault.SERVER_ERROR));
  }

  @Test
  void badValuesGet400NamingTheKey() {
    String[][] cases = {
      {"m@fault=503,flap=0", "flap"},
      {"m@fault=503,flap=often", "flap"},
      {"m@fault=503,fault-rate=2", "fault-rate"},
      {"m@fault=503,fault-rate=half", "fault-rate"},
      {"m@fault=cut-mid,cut-at=middle", "cut-at"},
      {"m@fault=cut-mid,cut-at=-3", "cut-at"},
    };
    for (String[] bad : cases) {
      Raw raw = http.once(CHAT, chat(bad[0]));

      assertEquals(400, raw.status(), bad[0]);
      String message = SimulatorHttp.parse(raw.body()).path("error").path("message").asText();
      assertTrue(message.contains(bad[1]), bad[0] + ": " + message);
    }
    for (String header : new String[] {"x-sim-flap-ms", "x-sim-fault-rate", "x-sim-cut-at"}) {
      Raw raw =
          http.once(
              MESSAGES,
              "{\"model\":\"claude\",\"max_tokens\":10,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
              header + ": nonsense");

      assertEquals(400, raw.status(), header);
      assertEquals(
          "invalid_request_error",
          SimulatorHttp.parse(raw.body()).path("error").path("type").asText());
      assertTrue(raw.body().contains(header), raw.body());
    }
    assertEquals(0, simulator.stats().faultsInjected().size(), "a rejected request injects none");
  }
}
