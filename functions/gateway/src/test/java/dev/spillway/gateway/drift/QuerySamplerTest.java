package dev.spillway.gateway.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEvent;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class QuerySamplerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Caller ACME_SEARCH = new Caller("acme", "search", PriorityTier.STANDARD);
  private static final Caller ACME_CHAT = new Caller("acme", "chat", PriorityTier.STANDARD);
  private static final Caller GLOBEX = new Caller("globex", "batch-jobs", PriorityTier.BATCH);

  private final List<CloudEvent> sent = new ArrayList<>();

  private QuerySampler sampler(SampleRates rates, DoubleSupplier random) {
    return new QuerySampler(rates, random, sent::add, "/spillway/gateway", MAPPER);
  }

  private static ChatCompletionRequest request(String userText) {
    try {
      return new ChatCompletionRequestParser()
          .parse(
              MAPPER
                  .createObjectNode()
                  .put("model", "gpt-4o-mini")
                  .set(
                      "messages",
                      MAPPER
                          .createArrayNode()
                          .add(MAPPER.createObjectNode().put("role", "system").put("content", "s"))
                          .add(
                              MAPPER
                                  .createObjectNode()
                                  .put("role", "user")
                                  .put("content", userText))));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void rateZeroNeverSamplesAndDrawsNothing() {
    QuerySampler sampler =
        sampler(
            SampleRates.of(0, Map.of()),
            () -> {
              throw new AssertionError("a rate of 0 needs no draw");
            });
    for (int i = 0; i < 1_000; i++) {
      assertFalse(sampler.offer("r" + i, ACME_SEARCH, "gpt-4o-mini", request("q")));
    }
    assertTrue(sent.isEmpty());
    assertFalse(sampler.enabled());
    assertFalse(QuerySampler.off().offer("r", ACME_SEARCH, "gpt-4o-mini", request("q")));
  }

  @Test
  void rateOneAlwaysSamples() {
    SplittableRandom random = new SplittableRandom(7);
    QuerySampler sampler = sampler(SampleRates.of(1, Map.of()), random::nextDouble);
    for (int i = 0; i < 1_000; i++) {
      assertTrue(sampler.offer("r" + i, ACME_SEARCH, "gpt-4o-mini", request("q" + i)));
    }
    assertEquals(1_000, sent.size());
    // Even the largest possible draw samples at rate 1.
    QuerySampler maxDraw = sampler(SampleRates.of(1, Map.of()), () -> Math.nextDown(1.0));
    assertTrue(maxDraw.offer("r", ACME_SEARCH, "gpt-4o-mini", request("q")));
  }

  @Test
  void samplesAboutTheRateOfManyRequests() {
    SplittableRandom random = new SplittableRandom(42);
    QuerySampler sampler = sampler(SampleRates.of(0.1, Map.of()), random::nextDouble);
    int requests = 100_000;
    int sampled = 0;
    for (int i = 0; i < requests; i++) {
      if (sampler.offer("r" + i, ACME_SEARCH, "gpt-4o-mini", request("q"))) {
        sampled++;
      }
    }
    // Binomial(100000, 0.1): sd ~ 95; ±500 is over 5 sd, and the seed makes it reproducible.
    assertEquals(10_000, sampled, 500);
    assertEquals(sampled, sent.size());
  }

  @Test
  void eachTenantAndFeatureGetsItsOwnRate() {
    SampleRates rates = SampleRates.of(0, Map.of("acme/*", 1.0, "acme/chat", 0.0));
    QuerySampler sampler = sampler(rates, new SplittableRandom(1)::nextDouble);
    assertTrue(sampler.offer("r1", ACME_SEARCH, "gpt-4o-mini", request("q")));
    assertFalse(sampler.offer("r2", ACME_CHAT, "gpt-4o-mini", request("q")));
    assertFalse(sampler.offer("r3", GLOBEX, "gpt-4o-mini", request("q")));
    assertEquals(1, sent.size());
    assertEquals("r1", sent.get(0).data().get("request_id").asText());
  }

  @Test
  void theEventCarriesTheQueryAndWhoAskedIt() {
    QuerySampler sampler = sampler(SampleRates.of(0, Map.of("acme/search", 0.25)), () -> 0.1);
    assertTrue(sampler.offer("req-1", ACME_SEARCH, "gpt-4o-mini", request("how do I rotate keys")));
    CloudEvent event = sent.get(0);
    assertEquals("dev.spillway.query.sampled", event.type());
    assertEquals("/spillway/gateway", event.source());
    assertEquals("acme", event.subject());
    JsonNode data = event.data();
    assertEquals("req-1", data.get("request_id").asText());
    assertEquals("acme", data.get("tenant").asText());
    assertEquals("search", data.get("feature").asText());
    assertEquals("gpt-4o-mini", data.get("route").asText());
    assertEquals("how do I rotate keys", data.get("text").asText());
    assertEquals(0.25, data.get("sample_rate").asDouble());
  }

  @Test
  void aDrawAtOrAboveTheRateIsNotSampled() {
    assertFalse(
        sampler(SampleRates.of(0.25, Map.of()), () -> 0.25)
            .offer("r", ACME_SEARCH, "m", request("q")));
    assertTrue(
        sampler(SampleRates.of(0.25, Map.of()), () -> Math.nextDown(0.25))
            .offer("r", ACME_SEARCH, "m", request("q")));
  }

  @Test
  void requestsWithoutUserTextAreSkippedAndLongTextIsCut() {
    QuerySampler sampler = sampler(SampleRates.of(1, Map.of()), () -> 0.5);
    assertFalse(sampler.offer("r1", ACME_SEARCH, "m", request("   ")));
    assertTrue(sent.isEmpty());

    String huge = "word ".repeat(10_000);
    assertTrue(sampler.offer("r2", ACME_SEARCH, "m", request(huge)));
    String text = sent.get(0).data().get("text").asText();
    assertEquals(QuerySampler.MAX_TEXT_CHARS, text.length());
    assertEquals(huge.substring(0, QuerySampler.MAX_TEXT_CHARS), text);
  }
}
