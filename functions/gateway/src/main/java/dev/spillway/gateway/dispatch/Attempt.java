package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.Permit;
import dev.spillway.gateway.routing.Target;

/**
 * One upstream request: the breaker ticket and the concurrency permit it holds, released exactly
 * once with its outcome, whoever ends it (the dispatch that started it, or the stream that carries
 * its rest to the client). Confined to the request's event loop.
 */
final class Attempt {

  /** Why the attempt was sent. */
  enum Kind {
    FIRST,
    RETRY,
    HEDGE,
    RECOVERY;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  final Target target;
  final Kind kind;
  final long startNanos;
  private final CircuitBreakers.Ticket ticket;
  private final Permit permit;
  private final DispatchMetrics metrics;
  private final UpstreamQuota.Permit quota;
  private boolean settled;

  /** Set when a hedge was started because this attempt was slow to begin. */
  boolean hedged;

  Attempt(
      Target target,
      Kind kind,
      long startNanos,
      CircuitBreakers.Ticket ticket,
      Permit permit,
      DispatchMetrics metrics,
      UpstreamQuota.Permit quota) {
    this.target = target;
    this.quota = quota;
    this.kind = kind;
    this.startNanos = startNanos;
    this.ticket = ticket;
    this.permit = permit;
    this.metrics = metrics;
  }

  /** The attempt gave a valid, complete answer. */
  void succeeded(long nowNanos) {
    if (!settled) {
      settled = true;
      quota.won();
      ticket.success();
      permit.success(nowNanos - startNanos);
    }
  }

  /** The attempt failed; held against the target unless it is a client error. */
  void failed(ProviderException failure) {
    if (!settled) {
      settled = true;
      quota.ended();
      ticket.failure(failure);
      if (failure.signalsOverload()) {
        permit.dropped();
      } else {
        permit.ignore();
      }
      metrics.failure(target, failure.kind().name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** The gateway gave up on the attempt for reasons of its own; not held against the target. */
  void abandoned() {
    if (!settled) {
      settled = true;
      quota.ended();
      ticket.abandon();
      permit.ignore();
    }
  }

  /**
   * The attempt answered and won the race: its provider-account reservation is settled with the
   * request's real usage at the end (a stream's attempt succeeds only when the stream ends).
   */
  void won() {
    quota.won();
  }

  boolean settled() {
    return settled;
  }
}
