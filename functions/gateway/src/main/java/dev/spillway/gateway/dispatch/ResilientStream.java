package dev.spillway.gateway.dispatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.routing.Target;
import dev.spillway.gateway.validation.StreamValidation;
import dev.spillway.gateway.validation.Violation;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.TokenUsage;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * The rest of a stream after its first output, made trustworthy: it is watched for stalls (only
 * while a chunk is awaited, so a slow client is never mistaken for a stalled provider), validated
 * as it passes, held to the request's deadline, and, when the route allows it, continued on another
 * target if the upstream breaks after output reached the client (the continuation's chunks are
 * spliced in under the original stream's id and model).
 *
 * <p>The chunks that end an answer (the one with {@code finish_reason}, the usage report) are held
 * back until the upstream has ended properly and the whole answer passed validation, so a broken
 * answer never reaches the client with {@code finish_reason: stop}.
 *
 * <p>Settles the breaker ticket and concurrency permit of every attempt it carries. Confined to the
 * request's event loop: every signal is handed to {@link DispatchRequest#loop()} first.
 */
final class ResilientStream implements Flow.Publisher<ChatChunk>, StreamDispatch.Summary {

  /**
   * Set to true on the chunk that ends a recovered answer. Clients ignore unknown fields; those
   * that care can tell a spliced answer from a single model's.
   */
  static final String RECOVERED_FIELD = "spillway_recovered";

  private final Dispatcher dispatcher;
  private final DispatchRequest request;
  private final StreamValidation validation;
  private final List<Segment> segments = new ArrayList<>(2);
  private final ArrayDeque<ChatChunk> ready = new ArrayDeque<>();
  private final List<ChatChunk> held = new ArrayList<>(2);
  private final String id;
  private final String model;
  private final long created;

  private Flow.Subscriber<? super ChatChunk> downstream;
  private long demand;
  private Flow.Subscription inner;
  private Flow.Publisher<ChatChunk> pendingRest;

  /** Bumped whenever the inner stream is replaced or abandoned: older signals are ignored. */
  private int generation;

  private boolean awaiting;
  private long awaitingSince;
  private boolean ended;
  private boolean terminated;
  private boolean recovered;
  private Cancellable stallTimer;
  private Cancellable deadlineTimer;
  private Cancellable recovering;

  /** One upstream call's share of the stream. */
  private static final class Segment {
    final Attempt attempt;
    final ChatCompletionRequest sent;
    final StringBuilder text = new StringBuilder();
    TokenUsage usage;
    boolean toolCalls;

    Segment(Attempt attempt, ChatCompletionRequest sent) {
      this.attempt = attempt;
      this.sent = sent;
    }
  }

  ResilientStream(
      Dispatcher dispatcher, DispatchRequest request, DispatchRun.Won<ChunkStream> won) {
    this.dispatcher = dispatcher;
    this.request = request;
    this.validation = dispatcher.validator(request.rules().validation()).start(request.request());
    ObjectNode first = won.result().head().get(0).json();
    this.id = first.path("id").asText("");
    this.model = first.path("model").asText("");
    this.created = first.path("created").asLong(0);
    Segment segment = new Segment(won.attempt(), request.request());
    segments.add(segment);
    // The head goes to the client as it is (the relay writes it); here it only counts.
    for (ChatChunk chunk : won.result().head()) {
      record(segment, chunk);
      validation.onChunk(chunk);
    }
    pendingRest = won.result().rest()::subscribe;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ChatChunk> subscriber) {
    if (downstream != null) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(new IllegalStateException("the rest of a stream can be subscribed once"));
      return;
    }
    downstream = subscriber;
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            request.loop().execute(() -> requested(n));
          }

          @Override
          public void cancel() {
            request.loop().execute(ResilientStream.this::cancelled);
          }
        });
    long remaining = request.deadlineNanos() - dispatcher.scheduler().nanoTime();
    deadlineTimer =
        dispatcher
            .scheduler()
            .schedule(
                Duration.ofNanos(Math.max(1, remaining)),
                () -> request.loop().execute(this::deadlinePassed));
    request.loop().execute(this::subscribeInner);
  }

  private void subscribeInner() {
    Flow.Publisher<ChatChunk> rest = pendingRest;
    pendingRest = null;
    if (rest == null || terminated) {
      return;
    }
    int mine = ++generation;
    rest.subscribe(
        new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            request.loop().execute(() -> innerSubscribed(mine, subscription));
          }

          @Override
          public void onNext(ChatChunk chunk) {
            request.loop().execute(() -> innerNext(mine, chunk));
          }

          @Override
          public void onError(Throwable failure) {
            request.loop().execute(() -> innerFailed(mine, failure));
          }

          @Override
          public void onComplete() {
            request.loop().execute(() -> innerCompleted(mine));
          }
        });
  }

  private void innerSubscribed(int mine, Flow.Subscription subscription) {
    if (mine != generation || terminated) {
      subscription.cancel();
      return;
    }
    inner = subscription;
    drain();
  }

  private void requested(long n) {
    if (terminated) {
      return;
    }
    demand = n == Long.MAX_VALUE || demand + n < 0 ? Long.MAX_VALUE : demand + n;
    drain();
  }

  /** Delivers what is ready while there is demand, and pulls one more chunk when it runs dry. */
  private void drain() {
    while (demand > 0 && !ready.isEmpty() && !terminated) {
      demand--;
      downstream.onNext(ready.poll());
    }
    if (terminated) {
      return;
    }
    if (ended) {
      if (ready.isEmpty()) {
        terminate(null);
      }
      return;
    }
    if (demand > 0 && ready.isEmpty() && inner != null && !awaiting && recovering == null) {
      awaiting = true;
      awaitingSince = dispatcher.scheduler().nanoTime();
      armStallTimer(request.rules().stall());
      inner.request(1);
    }
  }

  private void innerNext(int mine, ChatChunk chunk) {
    if (mine != generation || terminated) {
      return;
    }
    awaiting = false;
    Segment segment = current();
    if (segments.size() > 1) {
      chunk = asOriginal(chunk);
      if (chunk == null) {
        drain();
        return;
      }
    }
    record(segment, chunk);
    Optional<Violation> violation = validation.onChunk(chunk);
    if (violation.isPresent()) {
      failSegment(dispatcher.invalid(request, segment.attempt.target, violation.get()), false);
      return;
    }
    if (chunk.finishReason() != null || chunk.isUsageOnly()) {
      held.add(chunk);
    } else {
      ready.add(chunk);
    }
    drain();
  }

  private void innerCompleted(int mine) {
    if (mine != generation || terminated) {
      return;
    }
    awaiting = false;
    cancelStallTimer();
    Segment segment = current();
    Optional<Violation> violation = validation.onEnd();
    if (violation.isPresent()) {
      failSegment(dispatcher.invalid(request, segment.attempt.target, violation.get()), false);
      return;
    }
    segment.attempt.succeeded(dispatcher.scheduler().nanoTime());
    inner = null;
    if (recovered && held.stream().anyMatch(c -> c.usage() != null)) {
      // The client's usage must cover every call: rewrite the last report with the sum.
      resolve()
          .subscribe()
          .with(
              summary ->
                  request
                      .loop()
                      .execute(
                          () -> {
                            held.replaceAll(c -> c.usage() == null ? c : withUsage(c, summary));
                            finishSegments();
                          }),
              failure -> request.loop().execute(this::finishSegments));
      return;
    }
    finishSegments();
  }

  private void finishSegments() {
    if (terminated) {
      return;
    }
    if (recovered) {
      // Headers left long ago; the chunk that ends the answer says that it was continued.
      held.replaceAll(c -> c.finishReason() == null ? c : markedRecovered(c));
    }
    ready.addAll(held);
    held.clear();
    ended = true;
    drain();
  }

  private void innerFailed(int mine, Throwable failure) {
    if (mine != generation || terminated) {
      return;
    }
    awaiting = false;
    cancelStallTimer();
    Segment segment = current();
    if (held.stream().anyMatch(c -> c.finishReason() != null)) {
      // The answer itself was complete; only the stream's trailer (usage, [DONE]) was lost.
      Log.debugf(
          "request %s: %s broke after its finish; the answer is complete",
          request.requestId(), segment.attempt.target.key());
      innerCompleted(mine);
      return;
    }
    failSegment(Dispatcher.asProviderFailure(failure, segment.attempt.target), true);
  }

  /** The current upstream failed: recover on another target if allowed, else end with an error. */
  private void failSegment(ProviderException failure, boolean recoverable) {
    generation++;
    awaiting = false;
    cancelStallTimer();
    if (inner != null) {
      inner.cancel();
      inner = null;
    }
    Segment segment = current();
    segment.attempt.failed(failure);
    List<Target> others = otherTargets(segment.attempt.target);
    boolean mayRecover =
        recoverable
            && request.rules().midStreamRecovery()
            && failure.allowsFallback()
            && segments.stream().noneMatch(s -> s.toolCalls)
            && !others.isEmpty()
            && segments.size() <= request.candidates().size()
            && request.deadlineNanos() - dispatcher.scheduler().nanoTime() > 0;
    if (!mayRecover) {
      if (recoverable && request.rules().midStreamRecovery()) {
        dispatcher.metrics().recovery(request.route(), "not_attempted");
      }
      terminate(failure);
      return;
    }
    Log.debugf(
        "request %s: %s broke mid-stream (%s), continuing on another target",
        request.requestId(), segment.attempt.target.key(), failure.kind());
    ChatCompletionRequest continuation = Continuation.of(request.request(), outputSoFar());
    recovering =
        dispatcher
            .continuation(request.continuing(continuation, others))
            .subscribe()
            .with(
                won -> request.loop().execute(() -> resumed(won, continuation)),
                cause ->
                    request
                        .loop()
                        .execute(
                            () -> {
                              recovering = null;
                              dispatcher.metrics().recovery(request.route(), "failed");
                              terminate(failure);
                            }));
  }

  private void resumed(DispatchRun.Won<ChunkStream> won, ChatCompletionRequest continuation) {
    recovering = null;
    if (terminated) {
      won.attempt().abandoned();
      won.result().rest().subscribe().with(ignored -> {}).cancel();
      return;
    }
    recovered = true;
    dispatcher.metrics().recovery(request.route(), "recovered");
    Segment segment = new Segment(won.attempt(), continuation);
    segments.add(segment);
    for (ChatChunk chunk : won.result().head()) {
      ChatChunk spliced = asOriginal(chunk);
      if (spliced == null) {
        continue;
      }
      record(segment, spliced);
      validation.onChunk(spliced);
      if (spliced.finishReason() != null || spliced.isUsageOnly()) {
        held.add(spliced);
      } else {
        ready.add(spliced);
      }
    }
    pendingRest = won.result().rest()::subscribe;
    subscribeInner();
    drain();
  }

  private void deadlinePassed() {
    if (terminated) {
      return;
    }
    dispatcher.metrics().deadlineExceeded(request.route());
    abandonCurrent();
    terminate(
        new ProviderException(
            ProviderException.Kind.DEADLINE_EXCEEDED,
            current().attempt.target.provider().name(),
            "the request's deadline passed before the stream ended"));
  }

  private void cancelled() {
    if (!terminated) {
      abandonCurrent();
      terminated = true;
      cancelTimers();
    }
  }

  private void abandonCurrent() {
    generation++;
    if (inner != null) {
      inner.cancel();
      inner = null;
    }
    if (recovering != null) {
      recovering.cancel();
      recovering = null;
    }
    current().attempt.abandoned();
  }

  /** Ends the stream: completes when {@code failure} is null. */
  private void terminate(ProviderException failure) {
    if (terminated) {
      return;
    }
    terminated = true;
    cancelTimers();
    if (failure == null) {
      downstream.onComplete();
    } else {
      downstream.onError(failure);
    }
  }

  private void armStallTimer(Duration after) {
    if (stallTimer != null) {
      return;
    }
    stallTimer = dispatcher.onLoopAfter(request, after, this::stallCheck);
  }

  /** Fails the stream if a chunk has been awaited for the whole stall timeout, else re-arms. */
  private void stallCheck() {
    stallTimer = null;
    if (!awaiting || terminated) {
      return;
    }
    long stall = request.rules().stall().toNanos();
    long waited = dispatcher.scheduler().nanoTime() - awaitingSince;
    if (waited < stall) {
      armStallTimer(Duration.ofNanos(stall - waited));
      return;
    }
    Target target = current().attempt.target;
    failSegment(
        new ProviderException(
            ProviderException.Kind.TIMEOUT,
            target.provider().name(),
            target.provider().name() + " stalled for " + (waited / 1_000_000) + " ms mid-stream"),
        true);
  }

  private void cancelStallTimer() {
    if (stallTimer != null) {
      stallTimer.cancel();
      stallTimer = null;
    }
  }

  private void cancelTimers() {
    cancelStallTimer();
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
  }

  @Override
  public Uni<StreamSummary> resolve() {
    List<Uni<StreamSummary.Part>> parts = new ArrayList<>(segments.size());
    boolean spliced = segments.size() > 1;
    for (Segment segment : segments) {
      Target target = segment.attempt.target;
      parts.add(
          dispatcher
              .accountant()
              .usage(segment.usage, segment.sent, target.model(), segment.text.toString())
              .map(
                  usage -> {
                    if (spliced) {
                      // Each segment's account reservation is charged its own tokens, once; the
                      // request's total would charge every account for every segment.
                      segment.attempt.settleAccount(usage.totalTokens());
                    }
                    return new StreamSummary.Part(target, usage);
                  }));
    }
    boolean wasRecovered = recovered;
    return Uni.join()
        .all(parts)
        .andFailFast()
        .map(resolved -> new StreamSummary(resolved, wasRecovered));
  }

  private Segment current() {
    return segments.get(segments.size() - 1);
  }

  private String outputSoFar() {
    StringBuilder text = new StringBuilder();
    segments.forEach(s -> text.append(s.text));
    return text.toString();
  }

  /** The route's other targets, starting after {@code failed} and wrapping around. */
  private List<Target> otherTargets(Target failed) {
    List<Target> all = request.candidates();
    int at = all.indexOf(failed);
    List<Target> others = new ArrayList<>(all.size());
    for (int i = 1; i < all.size(); i++) {
      Target next = all.get((at + i) % all.size());
      if (!next.equals(failed)) {
        others.add(next);
      }
    }
    return others;
  }

  private static void record(Segment segment, ChatChunk chunk) {
    segment.text.append(chunk.text());
    if (chunk.usage() != null) {
      segment.usage = chunk.usage();
    }
    segment.toolCalls |= chunk.toolCalls();
  }

  /**
   * A continuation chunk as part of the original stream: same id, model and creation time. Chunks
   * without output (the continuation's role announcement) are dropped: the client already had one.
   */
  private ChatChunk asOriginal(ChatChunk chunk) {
    if (!chunk.output() && chunk.usage() == null) {
      return null;
    }
    ObjectNode json = chunk.json();
    json.put("id", id).put("model", model).put("created", created);
    return new ChatChunk(
        json, null, chunk.text(), chunk.usage(), chunk.finishReason(), chunk.output());
  }

  private static ChatChunk markedRecovered(ChatChunk chunk) {
    ObjectNode json = chunk.json();
    json.put(RECOVERED_FIELD, true);
    return new ChatChunk(
        json, null, chunk.text(), chunk.usage(), chunk.finishReason(), chunk.output());
  }

  private static ChatChunk withUsage(ChatChunk chunk, StreamSummary summary) {
    TokenUsage total = summary.total();
    ObjectNode json = chunk.json();
    json.putObject("usage")
        .put("prompt_tokens", total.promptTokens())
        .put("completion_tokens", total.completionTokens())
        .put("total_tokens", total.totalTokens());
    return new ChatChunk(json, null, chunk.text(), total, chunk.finishReason(), chunk.output());
  }
}
