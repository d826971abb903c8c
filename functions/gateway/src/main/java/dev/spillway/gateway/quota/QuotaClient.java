package dev.spillway.gateway.quota;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.quota.feedback.FeedbackRequest;
import dev.spillway.quota.feedback.FeedbackResponse;
import dev.spillway.quota.feedback.RoutingQualityResponse;
import dev.spillway.quota.keys.KeyLookupRequest;
import dev.spillway.quota.keys.KeyLookupResponse;
import dev.spillway.quota.lease.LeaseRequest;
import dev.spillway.quota.lease.LeaseResponse;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's client of the quota function: {@code POST /keys/lookup} and {@code POST /leases}
 * with the service key. A pooled keep-alive Vert.x client; every call is non-blocking and bounded
 * by a timeout (a slow quota function is as good as an unreachable one). Thread-safe.
 *
 * <p>Key look-ups and lease renewals use two connection pools. Look-ups are driven by clients (a
 * flood of unknown keys is a flood of look-ups); renewals are what keeps every tenant's budget
 * flowing. Sharing one pool would let the first starve the second; apart, look-ups queue behind
 * their own connections and fail fast when that queue is full, and renewals always find a
 * connection.
 *
 * <p>Failures complete the returned stage exceptionally with a {@link QuotaUnavailableException}
 * whose message names the status or transport error, never the keys or the body.
 */
public final class QuotaClient implements AutoCloseable {

  private final HttpClient keys;
  private final HttpClient leases;
  private final String basePath;
  private final String authorization;
  private final long timeoutMs;
  private final ObjectMapper mapper;

  public QuotaClient(
      Vertx vertx,
      URI baseUrl,
      String serviceKey,
      Duration connectTimeout,
      Duration requestTimeout,
      int keyLookupConnections,
      ObjectMapper mapper) {
    boolean tls = "https".equalsIgnoreCase(baseUrl.getScheme());
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.authorization = "Bearer " + serviceKey;
    this.timeoutMs = requestTimeout.toMillis();
    this.mapper = mapper;
    HttpClientOptions options =
        new HttpClientOptions()
            .setSsl(tls)
            .setVerifyHost(tls)
            .setDefaultHost(baseUrl.getHost())
            .setDefaultPort(baseUrl.getPort() > 0 ? baseUrl.getPort() : (tls ? 443 : 80))
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setConnectTimeout((int) connectTimeout.toMillis());
    this.keys =
        vertx.createHttpClient(
            options,
            new PoolOptions()
                .setHttp1MaxSize(keyLookupConnections)
                .setMaxWaitQueueSize(16 * keyLookupConnections));
    this.leases = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(4));
  }

  /** Who holds the key with this hash; empty when the quota function answers 404. */
  public CompletionStage<Optional<KeyLookupResponse>> lookup(String keyHash) {
    return post(keys, "/keys/lookup", new KeyLookupRequest(keyHash))
        .thenApply(
            answer -> {
              if (answer.status == 404) {
                return Optional.empty();
              }
              return Optional.of(decode(answer, KeyLookupResponse.class));
            });
  }

  /**
   * Records a tenant's feedback on one of its requests; empty when the quota function answers 404
   * (no such request of that tenant). Sent on the look-up pool: clients drive it.
   */
  public CompletionStage<Optional<FeedbackResponse>> feedback(FeedbackRequest request) {
    return post(keys, "/feedback", request)
        .thenApply(
            answer -> {
              if (answer.status == 404) {
                return Optional.empty();
              }
              return Optional.of(decode(answer, FeedbackResponse.class));
            });
  }

  /** The feedback sums per route, category and model over the last {@code days} days. */
  public CompletionStage<RoutingQualityResponse> routingQuality(int days) {
    return send(leases, HttpMethod.GET, "/routing/quality?days=" + days, null)
        .thenApply(answer -> decode(answer, RoutingQualityResponse.class));
  }

  /** One lease round trip. */
  public CompletionStage<LeaseResponse> lease(LeaseRequest request) {
    return post(leases, "/leases", request)
        .thenApply(answer -> decode(answer, LeaseResponse.class));
  }

  private record Answer(int status, Buffer body) {}

  private <T> T decode(Answer answer, Class<T> type) {
    if (answer.status / 100 != 2) {
      throw new QuotaUnavailableException("the quota function answered " + answer.status);
    }
    try {
      return mapper.readValue(answer.body.getBytes(), type);
    } catch (IOException e) {
      throw new QuotaUnavailableException(
          "the quota function's answer is not a " + type.getSimpleName());
    }
  }

  private CompletionStage<Answer> post(HttpClient client, String path, Object body) {
    return send(client, HttpMethod.POST, path, body);
  }

  private CompletionStage<Answer> send(
      HttpClient client, HttpMethod method, String path, Object body) {
    byte[] json;
    try {
      json = body == null ? new byte[0] : mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setURI(basePath + path)
            .setTimeout(timeoutMs)
            .putHeader("content-type", "application/json")
            .putHeader("accept", "application/json")
            .putHeader("authorization", authorization);
    CompletableFuture<Answer> result = new CompletableFuture<>();
    client
        .request(options)
        .compose(request -> request.send(Buffer.buffer(json)))
        .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b)))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                result.complete(done.result());
              } else {
                Throwable cause = done.cause();
                result.completeExceptionally(
                    new QuotaUnavailableException(
                        "the quota function is unreachable: "
                            + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : " " + cause.getMessage())));
              }
            });
    return result;
  }

  @Override
  public void close() {
    keys.close();
    leases.close();
  }
}
