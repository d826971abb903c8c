package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.routing.Target;
import java.util.Locale;

/**
 * One upstream request and the {@link AttemptPermit} it holds, settled exactly once with its
 * outcome, whoever ends it (the dispatch that started it, or the stream that carries its rest to
 * the client). Confined to the request's event loop.
 */
final class Attempt {

  /** Why the attempt was sent. */
  enum Kind {
    FIRST,
    RETRY,
    HEDGE,
    RECOVERY;

    /** The metric label, made once: it is read on every attempt. */
    private final String label = name().toLowerCase(Locale.ROOT);

    String label() {
      return label;
    }
  }

  final Target target;
  final Kind kind;
  final long startNanos;
  private final AttemptPermit permit;
  private final DispatchMetrics metrics;

  /** Set when a hedge was started because this attempt was slow to begin. */
  boolean hedged;

  /** When the attempt's output began, or -1 before; the latency sample of its provider's limit. */
  private long firstOutputNanos = -1;

  Attempt(
      Target target, Kind kind, long startNanos, AttemptPermit permit, DispatchMetrics metrics) {
    this.target = target;
    this.kind = kind;
    this.startNanos = startNanos;
    this.permit = permit;
    this.metrics = metrics;
  }

  /** The attempt's first output arrived (the head of a stream, or a whole completion). */
  void outputBegan(long nowNanos) {
    if (firstOutputNanos < 0) {
      firstOutputNanos = nowNanos;
    }
  }

  /**
   * The attempt gave a valid, complete answer. The concurrency limit's latency sample is the time
   * to first output, not to the end: how long a stream then runs depends on how much the model
   * writes and how fast the client reads, and a 60-second generation is not an overloaded provider.
   */
  void succeeded(long nowNanos) {
    permit.succeeded((firstOutputNanos < 0 ? nowNanos : firstOutputNanos) - startNanos);
  }

  /**
   * The attempt failed; held against the target unless the client is to blame (a client error, or
   * an answer that could not meet the client's own constraints).
   */
  void failed(ProviderException failure) {
    if (permit.failed(failure)) {
      metrics.failure(
          target,
          failure.byClientConstraint()
              ? "client_constrained"
              : failure.kind().name().toLowerCase(Locale.ROOT));
    }
  }

  /** The gateway gave up on the attempt for reasons of its own; not held against the target. */
  void abandoned() {
    permit.abandoned();
  }

  /**
   * The attempt answered and won the race: its provider-account reservation is settled with the
   * request's real usage at the end (a stream's attempt succeeds only when the stream ends).
   */
  void won() {
    permit.won();
  }

  /** Charges this attempt's provider-account reservation with its own part of a spliced stream. */
  void settleAccount(long tokens) {
    permit.settleAccount(tokens);
  }

  boolean settled() {
    return permit.settled();
  }
}
