package dev.spillway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends CloudEvents over HTTP in binary mode (attributes as {@code ce-*} headers, data as the
 * body), as Knative Eventing and Funqy's Knative binding expect, to one sink URL.
 *
 * <p>Sending is fire-and-forget and bounded: at most {@code maxInFlight} events travel at once;
 * beyond that, and whenever the sink fails or answers non-2xx, the event is dropped and counted.
 * Events describe requests that already happened, so losing one under overload is better than
 * queueing without bound or making a client wait. Thread-safe.
 */
public final class CloudEventSender implements AutoCloseable {

  private final HttpClient client;
  private final RequestOptions target;
  private final ObjectMapper mapper;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder sent = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /**
   * @param sink the absolute http(s) URL events are POSTed to
   * @param timeoutMillis connect and idle timeout for one delivery
   */
  public CloudEventSender(
      Vertx vertx, URI sink, ObjectMapper mapper, int maxInFlight, int timeoutMillis) {
    if (sink.getScheme() == null || !sink.getScheme().startsWith("http")) {
      throw new IllegalArgumentException("event sink must be an http(s) URL: " + sink);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    boolean tls = "https".equals(sink.getScheme());
    int port = sink.getPort() > 0 ? sink.getPort() : (tls ? 443 : 80);
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl(tls)
                .setKeepAlive(true)
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS));
    String path =
        sink.getRawPath() == null || sink.getRawPath().isEmpty() ? "/" : sink.getRawPath();
    if (sink.getRawQuery() != null) {
      path += "?" + sink.getRawQuery();
    }
    this.target =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(sink.getHost())
            .setPort(port)
            .setURI(path)
            .setTimeout(timeoutMillis);
    this.mapper = mapper;
    this.maxInFlight = maxInFlight;
  }

  /** Starts delivering an event and returns at once; the outcome shows in the counters. */
  public void send(CloudEvent event) {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      dropped.increment();
      return;
    }
    Buffer body;
    try {
      body = Buffer.buffer(mapper.writeValueAsBytes(event.data()));
    } catch (JsonProcessingException e) {
      inFlight.decrementAndGet();
      dropped.increment();
      return;
    }
    RequestOptions options =
        new RequestOptions(target)
            .putHeader("content-type", CloudEvent.DATA_CONTENT_TYPE)
            .putHeader("ce-specversion", CloudEvent.SPEC_VERSION)
            .putHeader("ce-id", event.id())
            .putHeader("ce-source", event.source())
            .putHeader("ce-type", event.type())
            .putHeader("ce-time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
    if (event.subject() != null) {
      options.putHeader("ce-subject", event.subject());
    }
    client
        .request(options)
        .compose(request -> request.send(body))
        .onComplete(
            result -> {
              inFlight.decrementAndGet();
              if (result.succeeded() && result.result().statusCode() / 100 == 2) {
                sent.increment();
              } else {
                dropped.increment();
              }
              if (result.succeeded()) {
                // Drain the body so the connection returns to the pool.
                result.result().body();
              }
            });
  }

  /** Events the sink accepted with a 2xx. */
  public long sentCount() {
    return sent.sum();
  }

  /** Events lost: over the in-flight bound, sink unreachable, or a non-2xx answer. */
  public long droppedCount() {
    return dropped.sum();
  }

  /** Deliveries under way. */
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    client.close();
  }
}
