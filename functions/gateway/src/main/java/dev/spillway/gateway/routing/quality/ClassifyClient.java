package dev.spillway.gateway.routing.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The embedding function's {@code POST /v1/classify} as a {@link CategoryClassifier}: one pooled
 * keep-alive connection set, a request per prompt with the head's name, the top label of the
 * answer. The routing stage bounds the wait with its own budget; this client's timeout only frees
 * the connection. Failures name the status or transport error, never the prompt. Thread-safe.
 */
public final class ClassifyClient implements CategoryClassifier, AutoCloseable {

  /** The embedding model reads 256 tokens; more text is bytes on the wire for nothing. */
  static final int MAX_CHARS = 4_096;

  private final HttpClient client;
  private final String path;
  private final String head;
  private final ObjectMapper mapper;
  private final long timeoutMs;

  public ClassifyClient(
      Vertx vertx, URI baseUrl, String head, Duration timeout, ObjectMapper mapper) {
    boolean tls = "https".equalsIgnoreCase(baseUrl.getScheme());
    String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    this.path = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/classify";
    this.head = head;
    this.mapper = mapper;
    // The connection outlives a request's budget so that a slow answer can still return it to the
    // pool; a second at least.
    this.timeoutMs = Math.max(1_000, timeout.toMillis() * 10);
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(tls)
                .setVerifyHost(tls)
                .setDefaultHost(baseUrl.getHost())
                .setDefaultPort(baseUrl.getPort() > 0 ? baseUrl.getPort() : (tls ? 443 : 80))
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) Math.max(100, timeout.toMillis() * 10)),
            new PoolOptions().setHttp1MaxSize(16).setMaxWaitQueueSize(256));
  }

  @Override
  public CompletionStage<String> classify(String text) {
    byte[] body;
    try {
      String input = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
      body =
          mapper.writeValueAsBytes(
              mapper.createObjectNode().put("model", head).put("input", input));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(path)
            .setTimeout(timeoutMs)
            .putHeader("content-type", "application/json")
            .putHeader("accept", "application/json");
    CompletableFuture<String> label = new CompletableFuture<>();
    client
        .request(options)
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(
            response ->
                response
                    .body()
                    .map(
                        b -> {
                          if (response.statusCode() != 200) {
                            throw new IllegalStateException(
                                "the classifier answered " + response.statusCode());
                          }
                          return b;
                        }))
        .onComplete(
            done -> {
              if (done.failed()) {
                label.completeExceptionally(done.cause());
                return;
              }
              try {
                JsonNode answer = mapper.readTree(done.result().getBytes());
                String top = answer.path("data").path(0).path("label").asText(null);
                if (top == null) {
                  label.completeExceptionally(
                      new IllegalStateException("the classifier's answer has no data[0].label"));
                } else {
                  label.complete(top);
                }
              } catch (IOException e) {
                label.completeExceptionally(
                    new IllegalStateException("the classifier's answer is not JSON"));
              }
            });
    return label;
  }

  @Override
  public void close() {
    client.close();
  }
}
