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
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends CloudEvents over HTTP to one sink URL: in binary mode (attributes as {@code ce-*} headers,
 * data as the body), as Knative Eventing and Funqy's Knative binding expect, or in structured mode
 * (the whole event as one {@code application/cloudevents+json} body), which survives carriers that
 * keep only the body, such as API Gateway's SQS integration on AWS. {@link #forSink} chooses: an
 * IAM-authorised AWS endpoint gets structured mode and SigV4-signed requests.
 *
 * <p>Sending is fire-and-forget and bounded: at most {@code maxInFlight} events travel at once
 * (retries included); beyond that the event is dropped and counted. A delivery that fails in a way
 * that may pass later (no connection, a timeout, 408, 429, 5xx) is retried up to {@link
 * Retry#maxAttempts()} times in all with exponential backoff and jitter, so that a sink restarting
 * or scaling from zero loses nothing; after that, or on any other non-2xx, the event is dropped and
 * counted. Events describe requests that already happened, so losing one after a bounded effort is
 * better than queueing without bound or making a client wait. Thread-safe.
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

  /**
   * How hard one event is tried.
   *
   * @param maxAttempts deliveries in all, at least 1
   * @param baseDelay the wait before the second delivery; it quadruples for each later one, with
   *     full jitter between half and all of it
   */
  public record Retry(int maxAttempts, Duration baseDelay) {

    /** Three deliveries, 200 ms then 800 ms apart (about a second of a sink's restart). */
    public static final Retry DEFAULT = new Retry(3, Duration.ofMillis(200));

    /** One delivery, no retry. */
    public static final Retry NONE = new Retry(1, Duration.ofMillis(1));

    public Retry {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
      }
      if (baseDelay.isNegative() || baseDelay.isZero()) {
        throw new IllegalArgumentException("baseDelay must be positive: " + baseDelay);
      }
    }

    long delayMillisBefore(int attempt) {
      long ceiling = baseDelay.toMillis() << Math.min(20, 2 * (attempt - 2));
      return Math.max(1, ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }
  }

  private final Vertx vertx;
  private final HttpClient client;
  private final Retry retry;
  private final URI sink;
  private final Mode mode;
  private final Optional<SigV4Signer> signer;
  private final RequestOptions target;
  private final ObjectMapper mapper;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder sent = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder retried = new LongAdder();

  /**
   * @param sink the absolute http(s) URL events are POSTed to
   * @param timeoutMillis connect and idle timeout for one delivery
   */
  public CloudEventSender(
      Vertx vertx, URI sink, ObjectMapper mapper, int maxInFlight, int timeoutMillis) {
    this(
        vertx,
        sink,
        mapper,
        maxInFlight,
        timeoutMillis,
        Mode.BINARY,
        Optional.empty(),
        Retry.DEFAULT);
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
        signer,
        Retry.DEFAULT);
  }

  /**
   * @param sink the absolute http(s) URL events are POSTed to
   * @param timeoutMillis connect and idle timeout for one delivery
   * @param signer signs each delivery (SigV4), or empty
   * @param retry how often a failed delivery is tried again
   */
  public CloudEventSender(
      Vertx vertx,
      URI sink,
      ObjectMapper mapper,
      int maxInFlight,
      int timeoutMillis,
      Mode mode,
      Optional<SigV4Signer> signer,
      Retry retry) {
    this.vertx = vertx;
    this.retry = retry;
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
    deliver(event, bytes, 1);
  }

  /** One delivery; the in-flight slot is held until the event is sent or given up. */
  private void deliver(CloudEvent event, byte[] bytes, int attempt) {
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
    // Signed per delivery: a signature's timestamp must be fresh.
    signer.ifPresent(s -> s.sign("POST", sink, bytes).forEach(options::putHeader));
    client
        .request(options)
        .compose(request -> request.send(Buffer.buffer(bytes)))
        .onComplete(
            result -> {
              int status = result.succeeded() ? result.result().statusCode() : 0;
              if (result.succeeded()) {
                // Drain the body so the connection returns to the pool.
                result.result().body();
              }
              if (status / 100 == 2) {
                inFlight.decrementAndGet();
                sent.increment();
              } else if (attempt < retry.maxAttempts() && mayPassLater(status)) {
                retried.increment();
                vertx.setTimer(
                    retry.delayMillisBefore(attempt + 1),
                    ignored -> deliver(event, bytes, attempt + 1));
              } else {
                inFlight.decrementAndGet();
                dropped.increment();
              }
            });
  }

  /** No answer (0), a timeout, throttling or a server error: the sink may take it later. */
  private static boolean mayPassLater(int status) {
    return status == 0 || status == 408 || status == 429 || status >= 500;
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

  /** Deliveries tried again after a failure that may pass. */
  public long retriedCount() {
    return retried.sum();
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
