package dev.spillway.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.aws.SigV4Signer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends CloudEvents over HTTP to one sink URL: in binary mode (attributes as {@code ce-*} headers,
 * data as the body), as Knative Eventing and Funqy's Knative binding expect, or in structured mode
 * (the whole event as one {@code application/cloudevents+json} body), which survives carriers that
 * keep only the body, such as API Gateway's SQS integration on AWS. {@link #forSink} chooses: an
 * IAM-authorised AWS endpoint gets structured mode and SigV4-signed requests.
 *
 * <p>Sending is fire-and-forget and bounded: at most {@code maxInFlight} events travel at once;
 * beyond that, and whenever the sink fails or answers non-2xx, the event is dropped and counted.
 * Events describe requests that already happened, so losing one under overload is better than
 * queueing without bound or making a client wait. Thread-safe.
 */
public final class CloudEventSender implements AutoCloseable {

  /** How an event is put on the wire. */
  public enum Mode {
    /** {@code ce-*} headers and the data as the body (Knative, Funqy). */
    BINARY,
    /** One JSON document with the attributes and {@code data} (SQS through API Gateway). */
    STRUCTURED
  }

  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

  private final HttpClient client;
  private final URI sink;
  private final Mode mode;
  private final Optional<SigV4Signer> signer;
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
    this(vertx, sink, mapper, maxInFlight, timeoutMillis, Mode.BINARY, Optional.empty());
  }

  /**
   * The sender a sink URL needs: structured mode and SigV4 signing with the role's credentials for
   * an IAM-authorised AWS endpoint (see {@link SigV4Signer#forEndpoint}), binary mode otherwise.
   *
   * @throws IllegalStateException for an AWS endpoint without credentials in the environment
   */
  public static CloudEventSender forSink(
      Vertx vertx, URI sink, ObjectMapper mapper, int maxInFlight, int timeoutMillis) {
    Optional<SigV4Signer> signer =
        SigV4Signer.forEndpoint(sink, System.getenv(), Clock.systemUTC());
    return new CloudEventSender(
        vertx,
        sink,
        mapper,
        maxInFlight,
        timeoutMillis,
        signer.isPresent() ? Mode.STRUCTURED : Mode.BINARY,
        signer);
  }

  /**
   * @param sink the absolute http(s) URL events are POSTed to
   * @param timeoutMillis connect and idle timeout for one delivery
   * @param signer signs each delivery (SigV4), or empty
   */
  public CloudEventSender(
      Vertx vertx,
      URI sink,
      ObjectMapper mapper,
      int maxInFlight,
      int timeoutMillis,
      Mode mode,
      Optional<SigV4Signer> signer) {
    this.sink = sink;
    this.mode = mode;
    this.signer = signer;
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
    byte[] bytes;
    try {
      bytes = mapper.writeValueAsBytes(mode == Mode.STRUCTURED ? structured(event) : event.data());
    } catch (JsonProcessingException e) {
      inFlight.decrementAndGet();
      dropped.increment();
      return;
    }
    Buffer body = Buffer.buffer(bytes);
    RequestOptions options = new RequestOptions(target);
    if (mode == Mode.STRUCTURED) {
      options.putHeader("content-type", STRUCTURED_CONTENT_TYPE);
    } else {
      options
          .putHeader("content-type", CloudEvent.DATA_CONTENT_TYPE)
          .putHeader("ce-specversion", CloudEvent.SPEC_VERSION)
          .putHeader("ce-id", event.id())
          .putHeader("ce-source", event.source())
          .putHeader("ce-type", event.type())
          .putHeader("ce-time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
      if (event.subject() != null) {
        options.putHeader("ce-subject", event.subject());
      }
    }
    signer.ifPresent(s -> s.sign("POST", sink, bytes).forEach(options::putHeader));
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

  /** The event in the JSON event format (CloudEvents 1.0 structured mode). */
  private static Map<String, Object> structured(CloudEvent event) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("specversion", CloudEvent.SPEC_VERSION);
    document.put("id", event.id());
    document.put("source", event.source());
    document.put("type", event.type());
    document.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
    if (event.subject() != null) {
      document.put("subject", event.subject());
    }
    document.put("datacontenttype", CloudEvent.DATA_CONTENT_TYPE);
    document.put("data", event.data());
    return document;
  }

  /** How this sender puts events on the wire. */
  public Mode mode() {
    return mode;
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
