package dev.spillway.gateway.provider.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.ProviderException.Kind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP transport to one provider: a pooled keep-alive Vert.x client, JSON POSTs, and the
 * translation of transport failures and error statuses into {@link ProviderException}.
 *
 * <p>It knows nothing of any API dialect; the providers build paths, headers and bodies.
 * Thread-safe and non-blocking. Error bodies are read only for their {@code error.message} (both
 * OpenAI and Anthropic use that field), never passed on raw.
 */
public final class UpstreamHttp {

  private static final int MAX_RELAYED_MESSAGE_CHARS = 500;

  /** 16 MiB: a whole non-streamed answer is a few KiB; past this the upstream is misbehaving. */
  static final int MAX_BODY_BYTES = 16 << 20;

  private final String provider;
  private final HttpClient client;
  private final URI baseUrl;
  private final String basePath;
  private final Duration idleTimeout;
  private final ObjectMapper mapper;

  public UpstreamHttp(
      Vertx vertx,
      String provider,
      URI baseUrl,
      Duration connectTimeout,
      Duration idleTimeout,
      int maxConnections,
      ObjectMapper mapper) {
    this.provider = provider;
    this.baseUrl = baseUrl;
    this.idleTimeout = idleTimeout;
    this.mapper = mapper;
    String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    boolean tls = "https".equalsIgnoreCase(baseUrl.getScheme());
    HttpClientOptions options =
        new HttpClientOptions()
            .setSsl(tls)
            .setUseAlpn(tls)
            .setTrustAll(false)
            .setVerifyHost(tls)
            .setDefaultHost(baseUrl.getHost())
            .setDefaultPort(port(baseUrl, tls))
            .setKeepAlive(true)
            .setTcpNoDelay(true)
            .setConnectTimeout((int) connectTimeout.toMillis())
            .setIdleTimeout((int) idleTimeout.toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    this.client =
        vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnections));
  }

  private static int port(URI uri, boolean tls) {
    return uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
  }

  /** The provider this transport talks to. */
  public String provider() {
    return provider;
  }

  /**
   * POSTs JSON to {@code path} (relative to the base URL's path) and returns the response once its
   * status is known to be 2xx; other statuses fail with a classified {@link ProviderException}.
   *
   * @return the open exchange; the caller must consume or {@link Exchange#abort()} it
   */
  public Uni<Exchange> post(String path, Map<String, String> headers, byte[] body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI(basePath + path)
            .setIdleTimeout(idleTimeout.toMillis())
            .putHeader("content-type", "application/json")
            .putHeader("accept", "application/json, text/event-stream");
    headers.forEach(options::putHeader);
    // A caller may give up while waiting for a pooled connection or while the upstream thinks;
    // either way the upstream request must be reset, or it holds a connection and keeps working.
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicReference<io.vertx.core.http.HttpClientRequest> inFlight = new AtomicReference<>();
    return Uni.createFrom()
        .<Exchange>emitter(
            emitter ->
                client
                    .getDelegate()
                    .request(options)
                    .onComplete(
                        acquired -> {
                          if (acquired.failed()) {
                            if (!cancelled.get()) {
                              emitter.fail(acquired.cause());
                            }
                            return;
                          }
                          io.vertx.core.http.HttpClientRequest request = acquired.result();
                          inFlight.set(request);
                          if (cancelled.get()) {
                            request.reset();
                            return;
                          }
                          request
                              .send(io.vertx.core.buffer.Buffer.buffer(body))
                              .onComplete(
                                  sent -> {
                                    if (cancelled.get()) {
                                      // The caller gave up and reset the request: nobody listens.
                                      if (sent.succeeded()) {
                                        sent.result().request().reset();
                                      }
                                    } else if (sent.failed()) {
                                      emitter.fail(sent.cause());
                                    } else {
                                      emitter.complete(
                                          new Exchange(
                                              HttpClientRequest.newInstance(request),
                                              HttpClientResponse.newInstance(sent.result())));
                                    }
                                  });
                        }))
        .onCancellation()
        .invoke(
            () -> {
              cancelled.set(true);
              io.vertx.core.http.HttpClientRequest request = inFlight.get();
              if (request != null) {
                request.reset();
              }
            })
        .onFailure()
        .transform(this::classifyTransportFailure)
        .flatMap(this::requireSuccess);
  }

  private Uni<Exchange> requireSuccess(Exchange exchange) {
    int status = exchange.response.statusCode();
    if (status / 100 == 2) {
      return Uni.createFrom().item(exchange);
    }
    Duration retryAfter = retryAfter(exchange.response.getHeader("retry-after"));
    return exchange
        .response
        .body()
        .onFailure()
        .recoverWithItem(Buffer.buffer())
        .flatMap(
            body ->
                Uni.createFrom()
                    .failure(
                        new ProviderException(
                            ProviderException.kindOfStatus(status),
                            provider,
                            status,
                            retryAfter,
                            describeError(status, body))));
  }

  /**
   * What the client may read about an upstream error. The provider's own message is kept only for
   * client errors, where it explains what is wrong with the request; for the rest (401 on the
   * gateway's key, 404 on an upstream model name, 5xx) it would expose the gateway's accounts and
   * routes to every caller.
   */
  private String describeError(int status, Buffer body) {
    if (ProviderException.kindOfStatus(status) != Kind.CLIENT_ERROR) {
      return provider + " answered " + status;
    }
    String detail = null;
    try {
      JsonNode json = mapper.readTree(body.getBytes());
      JsonNode message = json.path("error").path("message");
      if (message.isTextual()) {
        detail = message.asText();
      }
    } catch (Exception notJson) {
      // An HTML error page or an empty body: the status says enough.
    }
    String text = provider + " answered " + status;
    if (detail != null && !detail.isBlank()) {
      text +=
          ": "
              + (detail.length() > MAX_RELAYED_MESSAGE_CHARS
                  ? detail.substring(0, MAX_RELAYED_MESSAGE_CHARS) + "…"
                  : detail);
    }
    return text;
  }

  /** Maps a failure of the exchange itself (no HTTP status) to a provider failure. */
  public Throwable classifyTransportFailure(Throwable failure) {
    if (failure instanceof ProviderException) {
      return failure;
    }
    if (failure instanceof TimeoutException) {
      return new ProviderException(
          Kind.TIMEOUT,
          provider,
          provider + " did not answer within " + idleTimeout.toMillis() + " ms");
    }
    if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
      return new ProviderException(Kind.CONNECTION, provider, "could not connect to " + provider);
    }
    return new ProviderException(
        Kind.CONNECTION,
        provider,
        "connection to " + provider + " failed: " + failure.getClass().getSimpleName());
  }

  /** Parses {@code Retry-After} in seconds (the HTTP-date form is not used by LLM providers). */
  static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(header.trim());
      return seconds >= 0 ? Duration.ofMillis((long) (seconds * 1000)) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Closes the pooled connections. */
  public void close() {
    client.closeAndAwait();
  }

  /** An exchange whose status was 2xx; its body still to be read. */
  public final class Exchange {
    private final HttpClientRequest request;
    private final HttpClientResponse response;

    Exchange(HttpClientRequest request, HttpClientResponse response) {
      this.request = request;
      this.response = response;
    }

    /**
     * The whole body; transport failures are classified. A body past {@link #MAX_BODY_BYTES} ends
     * the exchange as an invalid answer: the upstream, not the client, chose its size.
     */
    public Uni<byte[]> body() {
      long declared = declaredLength();
      if (declared > MAX_BODY_BYTES) {
        abort();
        return Uni.createFrom().failure(tooLong());
      }
      // A declared length within the bound is read whole; a chunked body is counted as it comes.
      Uni<Buffer> whole =
          declared >= 0
              ? response.body()
              : response
                  .toMulti()
                  .collect()
                  .in(
                      Buffer::buffer,
                      (sum, part) -> {
                        if (sum.length() + part.length() > MAX_BODY_BYTES) {
                          throw tooLong();
                        }
                        sum.appendBuffer(part);
                      });
      return whole
          .map(Buffer::getBytes)
          .onFailure(ProviderException.class)
          .invoke(this::abort)
          .onFailure()
          .transform(UpstreamHttp.this::classifyTransportFailure)
          .onCancellation()
          .invoke(this::abort);
    }

    /**
     * The body as it arrives, with backpressure. Cancelling resets the request, which closes the
     * connection: a half-read response cannot go back to the pool, and closing it is how the
     * upstream learns to stop generating (and billing) tokens.
     */
    public Multi<byte[]> bodyStream() {
      return response
          .toMulti()
          .map(Buffer::getBytes)
          .onFailure()
          .transform(UpstreamHttp.this::classifyTransportFailure)
          .onCancellation()
          .invoke(this::abort);
    }

    /** The {@code content-length} the upstream declared, or -1. */
    private long declaredLength() {
      String header = response.getHeader("content-length");
      if (header == null) {
        return -1;
      }
      try {
        return Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private ProviderException tooLong() {
      return new ProviderException(
          Kind.INVALID_RESPONSE,
          provider,
          200,
          null,
          provider + " answered with a body longer than " + MAX_BODY_BYTES + " bytes");
    }

    /** Abandons the exchange and closes its connection. */
    public void abort() {
      request.reset();
    }
  }
}
