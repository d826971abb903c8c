package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TokensPerMinuteTest {

  // "hi" is 1 prompt token; with 40 output tokens each answer costs 41 of the 100-token budget.
  private static final String BODY =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void requestsOverTheBudgetGet429WithAnHonestRetryAfter() {
    try (UpstreamSimulator simulator =
        UpstreamSimulator.start(
            SimulatorOptions.builder()
                .host("127.0.0.1")
                .eventLoops(1)
                .tokensPerMinute(100)
                .defaultProfile(new ModelProfile(0, 0, 0, 0, 40))
                .build())) {
      SimulatorHttp http = new SimulatorHttp(simulator);

      HttpResponse<String> first = http.post("/v1/chat/completions", BODY);
      HttpResponse<String> second = http.post("/v1/chat/completions", BODY);
      HttpResponse<String> third = http.post("/v1/chat/completions", BODY);

      assertEquals(200, first.statusCode());
      assertEquals(200, second.statusCode());
      assertEquals(429, third.statusCode());
      // 18 tokens remain and 41 are needed: 23 tokens at 100/60 per second is about 14 s.
      long retryAfter = Long.parseLong(third.headers().firstValue("retry-after").orElseThrow());
      assertTrue(retryAfter >= 13 && retryAfter <= 14, "retry-after " + retryAfter);
      assertEquals(
          "rate_limit_exceeded",
          SimulatorHttp.parse(third.body()).path("error").path("code").asText());
      assertEquals(1, simulator.stats().rateLimited());
    }
  }
}
