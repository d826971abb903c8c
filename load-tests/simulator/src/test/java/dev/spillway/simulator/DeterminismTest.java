package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeterminismTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final String BODY =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me something\"}]}";
  private static final String OTHER_BODY =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"tell me another\"}]}";

  private static UpstreamSimulator start(long seed) {
    return UpstreamSimulator.start(
        SimulatorOptions.builder()
            .host("127.0.0.1")
            .eventLoops(1)
            .seed(seed)
            .defaultProfile(new ModelProfile(0, 0, 0, 0, 24))
            .build());
  }

  private static String content(SimulatorHttp http, String body) {
    return SimulatorHttp.parse(http.post(CHAT, body).body())
        .path("choices")
        .get(0)
        .path("message")
        .path("content")
        .asText();
  }

  @Test
  void sameSeedAndBodyGiveTheSameContent() {
    try (UpstreamSimulator first = start(7);
        UpstreamSimulator second = start(7);
        UpstreamSimulator otherSeed = start(8)) {
      SimulatorHttp a = new SimulatorHttp(first);
      SimulatorHttp b = new SimulatorHttp(second);

      String answer = content(a, BODY);

      assertEquals(answer, content(a, BODY), "repeatable on one simulator");
      assertEquals(answer, content(b, BODY), "repeatable across simulators");
      assertNotEquals(answer, content(a, OTHER_BODY), "another body, another answer");
      assertNotEquals(answer, content(new SimulatorHttp(otherSeed), BODY), "another seed");
    }
  }

  @Test
  void sameSeedReplaysTheSameFaultDraws() {
    FaultRates rates = new FaultRates(Map.of(Fault.UNAVAILABLE, 0.3, Fault.SERVER_ERROR, 0.2));
    List<Integer> first = new ArrayList<>();
    List<Integer> replay = new ArrayList<>();
    try (UpstreamSimulator one = start(11);
        UpstreamSimulator two = start(11)) {
      one.faultRates(rates);
      two.faultRates(rates);
      SimulatorHttp a = new SimulatorHttp(one);
      SimulatorHttp b = new SimulatorHttp(two);
      for (int i = 0; i < 40; i++) {
        first.add(a.post(CHAT, BODY).statusCode());
        replay.add(b.post(CHAT, BODY).statusCode());
      }
      one.reset();
      one.faultRates(rates);
      List<Integer> afterReset = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        afterReset.add(a.post(CHAT, BODY).statusCode());
      }

      assertEquals(first, replay);
      assertEquals(first, afterReset, "reset restarts the sequence");
      assertTrue(
          first.contains(200) && first.contains(503) && first.contains(500), first.toString());
    }
  }
}
