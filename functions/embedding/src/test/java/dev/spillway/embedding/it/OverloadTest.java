package dev.spillway.embedding.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A full queue answers 503 at once with Retry-After in OpenAI's error shape; nothing else fails.
 */
@QuarkusTest
@TestProfile(OverloadTest.TinyQueue.class)
class OverloadTest {

  /** One model, and a queue of one maximal batch. */
  public static class TinyQueue implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "embedding.models", "all-minilm-l6-v2",
          "embedding.batching.max-batch-tokens", "512",
          "embedding.batching.max-queued-tokens", "512");
    }
  }

  @TestHTTPResource("/v1/embeddings")
  URI embeddings;

  @Test
  void aFullQueueRefusesAtOnceWithRetryAfter() {
    HttpClient client = HttpClient.newHttpClient();
    String longText = "the quick brown fox jumps over the lazy dog ".repeat(25);
    String body =
        "{\"model\":\"all-minilm-l6-v2\",\"input\":[\"" + longText + "\",\"" + longText + "\"]}";
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int r = 0; r < 16; r++) {
      responses.add(
          client.sendAsync(
              HttpRequest.newBuilder(embeddings)
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    int ok = 0;
    int refused = 0;
    for (CompletableFuture<HttpResponse<String>> future : responses) {
      HttpResponse<String> response = future.join();
      if (response.statusCode() == 200) {
        ok++;
      } else {
        assertEquals(503, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"code\":\"overloaded\""), response.body());
        long retryAfter =
            Long.parseLong(response.headers().firstValue("retry-after").orElseThrow());
        assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
        refused++;
      }
    }
    assertTrue(ok >= 1, "some requests were served");
    assertTrue(refused >= 1, "a queue of 512 tokens cannot hold 16 requests of 512 tokens");
    assertTrue(
        BatchingMetricsTest.metric("embedding_requests_rejected_total", "all-minilm-l6-v2")
            >= refused);
  }
}
