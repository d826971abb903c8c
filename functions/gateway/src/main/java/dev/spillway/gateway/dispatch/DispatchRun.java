package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.routing.RouteRules.HedgeMode;
import dev.spillway.gateway.routing.Target;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's race to a first valid answer: fallback along the candidates (skipping open
 * breakers), retries of the same target within the retry budget, a hedge when the running attempt
 * is slow to begin, a first-output deadline per streaming attempt, and the request's deadline over
 * all of it.
 *
 * <p>At most two attempts run at once (the one that is slow and its hedge). The first valid answer
 * wins and every other attempt is cancelled, which closes its connection. Confined to the request's
 * event loop: every callback is handed to {@link DispatchRequest#loop()} first.
 */
final class DispatchRun<T> {

  private final Dispatcher dispatcher;
  private final DispatchRequest request;
  private final Dispatcher.Mode<T> mode;
  private final boolean continuation;
  private final UniEmitter<? super Won<T>> emitter;

  private final List<Live> live = new ArrayList<>(2);
  private final Map<Target, Integer> attemptsOnTarget = new HashMap<>();
  private int nextCandidate;
  private int attemptsMade;
  private int constrainedFailures;
  private ProviderException lastFailure;
  private boolean finished;
  private Cancellable deadlineTimer;
  private Cancellable hedgeTimer;

  /** Work that may still launch an attempt: a queued admission or a scheduled retry. */
  private int pending;

  private final List<Cancellable> pendingWork = new ArrayList<>(1);

  /** An attempt in flight, with what cancels it. */
  private final class Live {
    final Attempt attempt;
    Cancellable call;
    Cancellable firstOutputTimer;
    boolean headArrived;

    Live(Attempt attempt) {
      this.attempt = attempt;
    }

    void stop() {
      if (firstOutputTimer != null) {
        firstOutputTimer.cancel();
      }
      if (call != null) {
        call.cancel();
      }
    }
  }

  /** The winner: the answer, the attempt that gave it, and how many attempts were sent. */
  record Won<T>(T result, Attempt attempt, int attempts) {}

  DispatchRun(
      Dispatcher dispatcher,
      DispatchRequest request,
      Dispatcher.Mode<T> mode,
      boolean continuation,
      UniEmitter<? super Won<T>> emitter) {
    this.dispatcher = dispatcher;
    this.request = request;
    this.mode = mode;
    this.continuation = continuation;
    this.emitter = emitter;
  }

  void start() {
    emitter.onTermination(() -> request.loop().execute(this::cancelledByCaller));
    long remaining = request.deadlineNanos() - dispatcher.scheduler().nanoTime();
    if (remaining <= 0) {
      finishWithFailure(deadlineExceeded());
      return;
    }
    deadlineTimer =
        dispatcher.onLoopAfter(
            request, Duration.ofNanos(remaining), () -> finishWithFailure(deadlineExceeded()));
    if (!launchNextCandidate(Attempt.Kind.FIRST)) {
      // Every target's breaker is open: one fast, clean answer instead of a request at all.
      finishWithFailure(lastFailure);
    }
  }

  /** Launches the next candidate whose breaker is not open; false when none is left. */
  private boolean launchNextCandidate(Attempt.Kind kind) {
    while (nextCandidate < request.candidates().size()) {
      Target target = request.candidates().get(nextCandidate);
      if (dispatcher.breakers().isOpen(target)) {
        nextCandidate++;
        noteFailure(dispatcher.circuitOpen(target));
        continue;
      }
      if (kind == Attempt.Kind.HEDGE && !dispatcher.budget(target).tryAcquire()) {
        dispatcher.metrics().budgetRefused(target.provider().name(), "hedge");
        return false;
      }
      nextCandidate++;
      admit(target, kind);
      return true;
    }
    return false;
  }

  /**
   * Sends an attempt on {@code target} once its gate opens (the provider account, the concurrency
   * limit, the breakers); a shut gate is a failed attempt like any other.
   */
  private void admit(Target target, Attempt.Kind kind) {
    pending++;
    boolean[] answered = new boolean[1];
    Cancellable[] pass = new Cancellable[1];
    pass[0] =
        dispatcher
            .gate()
            .pass(
                request,
                target,
                passage -> {
                  answered[0] = true;
                  pending--;
                  pendingWork.remove(pass[0]);
                  if (passage instanceof AttemptGate.Passage.Open open) {
                    if (kind == Attempt.Kind.FIRST || kind == Attempt.Kind.RECOVERY) {
                      dispatcher.budget(target).recordRequest();
                    }
                    send(
                        new Attempt(
                            target,
                            kind,
                            dispatcher.scheduler().nanoTime(),
                            open.permit(),
                            dispatcher.metrics()));
                  } else {
                    onAttemptFailed(null, target, ((AttemptGate.Passage.Shut) passage).reason());
                  }
                });
    if (!answered[0]) {
      // Stopping the run cancels the pass, which gives back whatever it was granted so far.
      pendingWork.add(pass[0]);
    }
  }

  private void send(Attempt attempt) {
    attemptsMade++;
    attemptsOnTarget.merge(attempt.target, 1, Integer::sum);
    dispatcher.metrics().attempt(attempt.target, attempt.kind);
    Live running = new Live(attempt);
    live.add(running);
    Uni<T> answer;
    try {
      answer =
          mode.call(
              attempt.target.provider(),
              new UpstreamCall(request.request(), attempt.target.model(), request.requestId()));
    } catch (RuntimeException e) {
      answer = Uni.createFrom().failure(e);
    }
    if (mode.streaming()) {
      Duration firstToken = request.rules().firstToken();
      running.firstOutputTimer =
          dispatcher.onLoopAfter(
              request,
              firstToken,
              () -> {
                if (live.contains(running)) {
                  running.stop();
                  onAttemptFailed(
                      running,
                      attempt.target,
                      new ProviderException(
                          ProviderException.Kind.TIMEOUT,
                          attempt.target.provider().name(),
                          attempt.target.provider().name()
                              + " sent no first token within "
                              + firstToken.toMillis()
                              + " ms"));
                }
              });
    }
    armHedge(attempt);
    Cancellable call =
        answer
            .invoke(ignored -> request.loop().execute(() -> onHead(running)))
            .flatMap(result -> mode.vet(result, attempt, request, continuation))
            .subscribe()
            .with(
                result -> request.loop().execute(() -> onAnswer(running, result)),
                failure ->
                    request
                        .loop()
                        .execute(
                            () ->
                                onAttemptFailed(
                                    running,
                                    attempt.target,
                                    Dispatcher.asProviderFailure(failure, attempt.target))));
    if (live.contains(running)) {
      running.call = call;
    }
  }

  /**
   * Starts the hedge timer for the only running attempt, if the route hedges and a target is left.
   */
  private void armHedge(Attempt attempt) {
    if (hedgeTimer != null
        || live.size() != 1
        || request.rules().hedge().mode() == HedgeMode.OFF
        || nextCandidate >= request.candidates().size()) {
      return;
    }
    Duration delay = dispatcher.hedgeDelay(attempt.target, request.rules().hedge(), mode);
    hedgeTimer =
        dispatcher.onLoopAfter(
            request,
            delay,
            () -> {
              hedgeTimer = null;
              if (finished || live.size() != 1 || live.get(0).headArrived) {
                return;
              }
              Live slow = live.get(0);
              if (launchNextCandidate(Attempt.Kind.HEDGE)) {
                slow.attempt.hedged = true;
                Log.debugf(
                    "request %s: %s slow to begin, hedging",
                    request.requestId(), slow.attempt.target.key());
              }
            });
  }

  /**
   * The attempt's output has begun: its time to first output is a latency sample, and it is no
   * longer waiting for a first token (a stream read whole for validation may take much longer).
   */
  private void onHead(Live running) {
    if (running.headArrived || !live.contains(running)) {
      return;
    }
    running.headArrived = true;
    if (running.firstOutputTimer != null) {
      running.firstOutputTimer.cancel();
    }
    long now = dispatcher.scheduler().nanoTime();
    running.attempt.outputBegan(now);
    dispatcher.latency(running.attempt.target, mode).record(now - running.attempt.startNanos);
  }

  private void onAnswer(Live winner, T result) {
    if (finished || !live.remove(winner)) {
      mode.discard(result);
      winner.attempt.abandoned();
      return;
    }
    finished = true;
    long now = dispatcher.scheduler().nanoTime();
    if (winner.firstOutputTimer != null) {
      winner.firstOutputTimer.cancel();
    }
    if (winner.attempt.kind == Attempt.Kind.HEDGE) {
      dispatcher.metrics().hedgeWon(winner.attempt.target);
    }
    stopEverythingElse();
    winner.attempt.won();
    if (!mode.streaming()) {
      winner.attempt.succeeded(now);
    }
    emitter.complete(new Won<>(result, winner.attempt, attemptsMade));
  }

  private void onAttemptFailed(Live running, Target target, ProviderException failure) {
    if (running != null) {
      if (!live.remove(running)) {
        return;
      }
      running.stop();
      running.attempt.failed(failure);
    }
    if (finished) {
      return;
    }
    noteFailure(failure);
    Log.debugf(
        "request %s: %s failed (%s): %s",
        request.requestId(), target.key(), failure.kind(), failure.getMessage());
    if (!failure.allowsFallback()) {
      finishWithFailure(failure);
      return;
    }
    if (failure.byClientConstraint()
        && ++constrainedFailures >= dispatcher.settings().maxConstrainedAttempts()) {
      // The client's own schema, stop sequences or max_tokens keep failing: trying every other
      // target would spend them all on a request that is the client's to change.
      finishWithFailure(failure);
      return;
    }
    if (running != null && mayRetry(target, failure)) {
      return;
    }
    if (live.isEmpty() && pending == 0) {
      if (!launchNextCandidate(Attempt.Kind.FIRST) && live.isEmpty() && pending == 0) {
        finishWithFailure(lastFailure);
      }
    }
  }

  /** Schedules a retry of the same target when the failure, the budget and the deadline allow. */
  private boolean mayRetry(Target target, ProviderException failure) {
    if (!failure.retryable()
        || attemptsOnTarget.getOrDefault(target, 0) >= dispatcher.settings().maxAttemptsPerTarget()
        || dispatcher.breakers().isOpen(target)) {
      return false;
    }
    Duration delay;
    if (failure.retryAfter() != null) {
      // The target asked for a pause: another target now beats this one later, and a pause longer
      // than the gateway waits out is passed to the client instead.
      if (nextCandidate < request.candidates().size()
          || failure.retryAfter().compareTo(dispatcher.settings().maxRetryAfter()) > 0) {
        return false;
      }
      delay = failure.retryAfter();
    } else {
      delay = backoff(attemptsOnTarget.getOrDefault(target, 1));
    }
    long remaining = request.deadlineNanos() - dispatcher.scheduler().nanoTime();
    if (delay.toNanos() >= remaining) {
      return false;
    }
    if (!dispatcher.budget(target).tryAcquire()) {
      dispatcher.metrics().budgetRefused(target.provider().name(), "retry");
      return false;
    }
    pending++;
    Cancellable[] holder = new Cancellable[1];
    holder[0] =
        dispatcher.onLoopAfter(
            request,
            delay,
            () -> {
              pending--;
              pendingWork.remove(holder[0]);
              if (!finished) {
                admit(target, Attempt.Kind.RETRY);
              }
            });
    pendingWork.add(holder[0]);
    return true;
  }

  /** Exponential backoff with full jitter: spreads the retries of many requests failing at once. */
  private Duration backoff(int attemptsSoFar) {
    long base = dispatcher.settings().backoffBase().toNanos();
    long cap = dispatcher.settings().backoffMax().toNanos();
    long ceiling = Math.min(cap, base << Math.min(20, Math.max(0, attemptsSoFar - 1)));
    return Duration.ofNanos(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  private void noteFailure(ProviderException failure) {
    // Keep the most telling failure for the client: a real upstream answer beats "breaker open".
    if (lastFailure == null
        || failure.kind() != ProviderException.Kind.CIRCUIT_OPEN
        || lastFailure.kind() == ProviderException.Kind.CIRCUIT_OPEN) {
      lastFailure = failure;
    }
  }

  private void finishWithFailure(ProviderException failure) {
    if (finished) {
      return;
    }
    finished = true;
    if (failure.kind() == ProviderException.Kind.DEADLINE_EXCEEDED) {
      dispatcher.metrics().deadlineExceeded(request.route());
    }
    stopEverythingElse();
    emitter.fail(new DispatchFailedException(failure, attemptsMade));
  }

  /** Cancels timers, pending work and every running attempt. */
  private void stopEverythingElse() {
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
    }
    if (hedgeTimer != null) {
      hedgeTimer.cancel();
      hedgeTimer = null;
    }
    pendingWork.forEach(Cancellable::cancel);
    pendingWork.clear();
    for (Live loser : List.copyOf(live)) {
      loser.stop();
      if (loser.attempt.hedged) {
        // It was slow enough to be hedged and then beaten: that is a slow start, which the breaker
        // must see, or a target that always stalls would be hedged forever and never opened.
        loser.attempt.failed(
            new ProviderException(
                ProviderException.Kind.TIMEOUT,
                loser.attempt.target.provider().name(),
                loser.attempt.target.key() + " was beaten by its hedge"));
      } else {
        loser.attempt.abandoned();
      }
    }
    live.clear();
  }

  private void cancelledByCaller() {
    if (!finished) {
      finished = true;
      stopEverythingElse();
    }
  }

  private ProviderException deadlineExceeded() {
    return new ProviderException(
        ProviderException.Kind.DEADLINE_EXCEEDED,
        "gateway",
        "the request's deadline passed before any target answered");
  }
}
