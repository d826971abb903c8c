package dev.spillway.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.dispatch.StreamDispatch;
import dev.spillway.gateway.dispatch.StreamSummary;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.Target;
import dev.spillway.gateway.routing.quality.ShadowSampler;
import dev.spillway.usage.TokenUsage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Relays one streaming chat completion to the client as server-sent events.
 *
 * <p>Nothing is written until a target's first output has arrived: until then a failure can still
 * become a clean error status, and the dispatcher can still fall back. After the 200 is committed,
 * a failure the dispatcher could not recover from ends the stream with an error event in OpenAI's
 * shape, never a silent cut and never a {@code [DONE]}. Chunks are pulled one at a time and only
 * while the client's socket keeps up (Vert.x write-queue backpressure), so a slow client cannot
 * make the gateway buffer an answer. A client that disconnects cancels the upstream request.
 * Settles the request exactly once.
 *
 * <p>Confined to the request's event loop: all signals arrive there, so no locking is needed.
 */
final class SseRelay implements Flow.Subscriber<ChatChunk> {

  private final Exchange exchange;
  private final HttpServerResponse response;
  private final UsageAccountant accountant;
  private final ErrorResponses errors;
  private final ObjectMapper mapper;

  /** Events relayed but not yet written: the head goes out as one write, not one per chunk. */
  private final StringBuilder unwritten = new StringBuilder(256);

  private Cancellable pendingDispatch;
  private Flow.Subscription subscription;
  private Target target;
  private StreamDispatch.Summary summary;
  private int attempts;
  private ChatChunk firstChunk;
  private TokenUsage reportedUsage;
  private long ttftNanos = -1;

  /** The outcome is decided: nothing more is relayed (accounting may still be counting). */
  private boolean settled;

  /** The stream's text, kept only when the request is shadowed; capped at {@link #SHADOW_TEXT}. */
  private final StringBuilder shadowText;

  static final int SHADOW_TEXT = 65_536;

  private final ShadowSampler shadow;
  private final Route route;

  SseRelay(
      Exchange exchange,
      HttpServerResponse response,
      UsageAccountant accountant,
      ErrorResponses errors,
      ObjectMapper mapper) {
    this(exchange, response, accountant, errors, mapper, null, null);
  }

  /**
   * @param shadow shadow sampling, or null for none
   * @param route the request's route (what shadow sampling reads)
   */
  SseRelay(
      Exchange exchange,
      HttpServerResponse response,
      UsageAccountant accountant,
      ErrorResponses errors,
      ObjectMapper mapper,
      ShadowSampler shadow,
      Route route) {
    this.exchange = exchange;
    this.response = response;
    this.accountant = accountant;
    this.errors = errors;
    this.mapper = mapper;
    this.shadow = shadow;
    this.route = route;
    this.shadowText =
        shadow != null && route != null && shadow.sampled(route, exchange.routing())
            ? new StringBuilder()
            : null;
  }

  void start(Uni<StreamDispatch> dispatch) {
    response.closeHandler(ignored -> clientGone());
    pendingDispatch = dispatch.subscribe().with(this::begin, this::dispatchFailed);
  }

  private void begin(StreamDispatch dispatched) {
    try {
      commit(dispatched);
    } catch (RuntimeException bug) {
      // Mutiny would swallow an exception thrown here: end the exchange visibly instead.
      if (response.headWritten()) {
        onError(bug);
      } else {
        dispatchFailed(bug);
      }
    }
  }

  private void commit(StreamDispatch dispatched) {
    pendingDispatch = null;
    target = dispatched.target();
    summary = dispatched.summary();
    attempts = dispatched.attempts();
    if (settled) {
      // The client left while the first token was on its way: close the upstream too.
      dispatched.rest().subscribe().with(ignored -> {}).cancel();
      return;
    }
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no")
        .putHeader(SpillwayHeaders.PROVIDER, target.provider().name())
        .putHeader(SpillwayHeaders.UPSTREAM_MODEL, target.model())
        .putHeader(SpillwayHeaders.ATTEMPTS, Integer.toString(attempts));
    exchange.rateLimitHeaders(response);
    // One write for the head: on loopback and in containers each write is a syscall that runs
    // the receiver's TCP stack, and the first output should leave as soon as it can.
    for (ChatChunk chunk : dispatched.head()) {
      relay(chunk);
    }
    flush();
    dispatched.rest().subscribe().withSubscriber(this);
  }

  private void dispatchFailed(Throwable failure) {
    pendingDispatch = null;
    if (settled) {
      return;
    }
    ErrorResponses.Rendered rendered = errors.render(failure, exchange.requestId());
    settled = true;
    RequestRecord record = exchange.failed(failure);
    exchange.ticket().settle(record);
    if (!response.closed()) {
      exchange.rateLimitHeaders(response);
      ChatCompletionsRoute.writeError(response, rendered);
    }
    accountant.settle(record);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (settled) {
      subscription.cancel();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onNext(ChatChunk chunk) {
    if (settled) {
      return;
    }
    relay(chunk);
    flush();
    if (response.writeQueueFull()) {
      response.drainHandler(ignored -> subscription.request(1));
    } else {
      subscription.request(1);
    }
  }

  private void relay(ChatChunk chunk) {
    if (firstChunk == null) {
      firstChunk = chunk;
    }
    if (chunk.usage() != null) {
      reportedUsage = chunk.usage();
    }
    if (shadowText != null && chunk.content() != null && shadowText.length() < SHADOW_TEXT) {
      shadowText.append(chunk.content());
    }
    if (chunk.isUsageOnly() && !exchange.request().includeUsage()) {
      return;
    }
    write(chunk.encoded() != null ? chunk.encoded() : encode(chunk.json()));
    if (ttftNanos < 0 && chunk.output()) {
      ttftNanos = System.nanoTime() - exchange.startNanos();
    }
  }

  @Override
  public void onComplete() {
    if (settled) {
      return;
    }
    settled = true;
    long end = System.nanoTime();
    withSummary(
        done -> {
          RequestRecord record = exchange.record(done, ttftNanos, Outcome.SUCCESS, attempts, end);
          if (exchange.request().includeUsage() && reportedUsage == null) {
            write(encode(usageChunk(done.total())));
          }
          // Headers left long ago; the cost travels as an SSE comment, which clients ignore.
          comment(SpillwayHeaders.COST_USD, record.cost().toPlainString());
          if (done.recovered()) {
            comment(SpillwayHeaders.RECOVERED, done.lastTarget().key());
          }
          unwritten.append("data: [DONE]\n\n");
          if (!response.closed()) {
            response.end(unwritten.toString());
          }
          // Before the usage event leaves: whoever waits for it sees the shadow begun.
          if (shadowText != null) {
            shadow(done);
          }
          exchange.settle(accountant, record);
        });
  }

  /** A sampled stream that ended well is compared with the strongest target's answer. */
  private void shadow(StreamSummary done) {
    try {
      shadow.shadow(
          exchange.requestId(),
          exchange.caller(),
          route,
          exchange.request(),
          exchange.routing(),
          done.lastTarget(),
          shadowText.toString(),
          done.total(),
          exchange.dispatch().loop());
    } catch (RuntimeException bug) {
      Log.warnf(
          "request %s: shadow sampling failed (%s)",
          exchange.requestId(), bug.getClass().getName());
      Log.debugf(bug, "request %s: shadow sampling failed", exchange.requestId());
    }
  }

  @Override
  public void onError(Throwable failure) {
    if (settled) {
      return;
    }
    settled = true;
    long end = System.nanoTime();
    ErrorResponses.Rendered rendered = errors.render(failure, exchange.requestId());
    write(encode(rendered.body().toJson()));
    if (!response.closed()) {
      response.end(unwritten.toString());
    }
    // The provider bills the tokens it generated before the break: account them.
    Outcome outcome = Exchange.brokenStreamOutcome(failure);
    withSummary(
        done ->
            exchange.settle(accountant, exchange.record(done, ttftNanos, outcome, attempts, end)));
  }

  private void clientGone() {
    if (settled) {
      return;
    }
    settled = true;
    long end = System.nanoTime();
    if (pendingDispatch != null) {
      pendingDispatch.cancel();
    }
    if (subscription != null) {
      subscription.cancel();
    }
    Log.debugf("request %s: client disconnected mid-stream", exchange.requestId());
    if (summary == null) {
      exchange.settle(
          accountant,
          exchange.record(null, null, ttftNanos, Outcome.CLIENT_CANCELLED, attempts, end));
      return;
    }
    withSummary(
        done ->
            exchange.settle(
                accountant,
                exchange.record(done, ttftNanos, Outcome.CLIENT_CANCELLED, attempts, end)));
  }

  /** Runs {@code then} once the stream's usage is known (counting may go off-loop). */
  private void withSummary(Consumer<StreamSummary> then) {
    summary
        .resolve()
        .subscribe()
        .with(
            then,
            failure -> {
              Log.errorf(failure, "request %s: usage accounting failed", exchange.requestId());
              // The reservation must still end: settle it as if nothing were known of the usage.
              exchange
                  .ticket()
                  .settle(
                      exchange.record(
                          null,
                          null,
                          ttftNanos,
                          Outcome.UPSTREAM_ERROR,
                          attempts,
                          System.nanoTime()));
            });
  }

  private void comment(String name, String value) {
    unwritten.append(": ").append(name).append(' ').append(value).append("\n\n");
  }

  private ObjectNode usageChunk(TokenUsage usage) {
    ObjectNode chunk = mapper.createObjectNode();
    chunk.put(
        "id", firstChunk == null ? exchange.requestId() : firstChunk.json().path("id").asText());
    chunk.put("object", "chat.completion.chunk");
    chunk.put(
        "created",
        firstChunk == null
            ? System.currentTimeMillis() / 1000
            : firstChunk.json().path("created").asLong());
    chunk.put("model", target.model());
    chunk.putArray("choices");
    chunk
        .putObject("usage")
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
    return chunk;
  }

  private void write(String json) {
    unwritten.append("data: ").append(json).append("\n\n");
  }

  private void flush() {
    if (!unwritten.isEmpty()) {
      response.write(unwritten.toString());
      unwritten.setLength(0);
    }
  }

  private String encode(Object json) {
    try {
      return mapper.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
