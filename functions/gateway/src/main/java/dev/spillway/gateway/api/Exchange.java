package dev.spillway.gateway.api;

import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.dispatch.DispatchFailedException;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.TokenUsage;

/**
 * The facts of one routed chat request that every response path needs.
 *
 * @param startNanos {@link System#nanoTime()} at receipt
 */
record Exchange(
    String requestId, long startNanos, Caller caller, String route, ChatCompletionRequest request) {

  /** The record of a request no target served: rejected upstream, or every target failed. */
  RequestRecord failed(Throwable failure) {
    if (failure instanceof DispatchFailedException dispatch) {
      Outcome outcome =
          dispatch.last().allowsFallback() ? Outcome.UPSTREAM_ERROR : Outcome.REJECTED;
      return record(null, null, -1, outcome, dispatch.attempts());
    }
    return record(null, null, -1, Outcome.UPSTREAM_ERROR, 0);
  }

  RequestRecord record(
      Target target, TokenUsage usage, long ttftNanos, Outcome outcome, int attempts) {
    return record(target, usage, ttftNanos, outcome, attempts, System.nanoTime());
  }

  /** A record whose duration ends at {@code endNanos}, when the outcome was decided. */
  RequestRecord record(
      Target target,
      TokenUsage usage,
      long ttftNanos,
      Outcome outcome,
      int attempts,
      long endNanos) {
    return new RequestRecord(
        requestId,
        caller,
        route,
        target,
        usage,
        request.stream(),
        ttftNanos,
        endNanos - startNanos,
        outcome,
        attempts);
  }
}
