package dev.spillway.embedding.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Concurrent requests really share model runs, and the metrics show it. */
@QuarkusTest
class BatchingMetricsTest {

  @TestHTTPResource("/v1/embeddings")
  URI embeddings;

  @Test
  void concurrentRequestsShareBatches() {
    String model = "all-minilm-l6-v2";
    double requestsBefore = metric("embedding_batch_requests_count", model);
    double batchesBefore = metric("embedding_batch_size_count", model);
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    int requests = 24;
    for (int r = 0; r < requests; r++) {
      String body =
          "{\"model\":\""
              + model
              + "\",\"input\":[\"request "
              + r
              + " asks about the history of the Roman republic\",\"and its "
              + r
              + " consuls\"]}";
      responses.add(
          client.sendAsync(
              HttpRequest.newBuilder(embeddings)
                  .header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    responses.forEach(response -> assertEquals(200, response.join().statusCode()));
    double batches = metric("embedding_batch_size_count", model) - batchesBefore;
    double maxShared = metric("embedding_batch_requests_max", model);
    assertTrue(
        batches < requests,
        requests + " concurrent requests ran in " + batches + " batches, so they shared some");
    assertTrue(maxShared >= 2, "a batch held inputs of " + maxShared + " requests");
    assertTrue(metric("embedding_batch_requests_count", model) > requestsBefore);
    assertTrue(metric("embedding_tokens_real_total", model) > 0);
    assertTrue(metric("embedding_tokens_padding_total", model) >= 0);
    assertTrue(metric("embedding_queue_tokens", model) >= 0);
  }

  /** A metric's value for one model from /q/metrics (Prometheus text format). */
  static double metric(String name, String model) {
    String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
    Matcher matcher =
        Pattern.compile(
                "^"
                    + Pattern.quote(name)
                    + "\\{[^}]*model=\""
                    + Pattern.quote(model)
                    + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(text);
    if (!matcher.find()) {
      throw new AssertionError(name + " for " + model + " is not in /q/metrics");
    }
    return Double.parseDouble(matcher.group(1));
  }
}
