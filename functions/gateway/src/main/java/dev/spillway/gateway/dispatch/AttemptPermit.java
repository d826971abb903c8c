package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.Permit;

/**
 * Everything one attempt holds once its {@link AttemptGate} opened: the caller's reservation on the
 * provider account, the provider's concurrency slot and the target's breaker ticket. Settled once,
 * by whichever of its outcomes comes first; each outcome tells all three the same story, so no path
 * can release one and forget another.
 *
 * <p>Confined to the request's event loop.
 */
final class AttemptPermit {

  private final UpstreamQuota.Permit account;
  private final Permit slot;
  private final CircuitBreakers.Ticket ticket;
  private boolean settled;
  private boolean won;

  AttemptPermit(UpstreamQuota.Permit account, Permit slot, CircuitBreakers.Ticket ticket) {
    this.account = account;
    this.slot = slot;
    this.ticket = ticket;
  }

  /** The attempt was never sent (its run ended while the gate was opening): all given back. */
  void unused() {
    if (settle()) {
      account.release();
      ticket.abandon();
      slot.ignore();
    }
  }

  /**
   * The attempt gave a valid, complete answer.
   *
   * @param sampleNanos the concurrency limit's latency sample: the time to first output
   */
  void succeeded(long sampleNanos) {
    if (settle()) {
      won();
      ticket.success();
      slot.success(sampleNanos);
    }
  }

  /**
   * The attempt failed; held against the target unless the client's own constraints are to blame,
   * and a sign of overload for the concurrency limit only when the failure says so.
   *
   * @return false when the permit was already settled (the failure is not counted again)
   */
  boolean failed(ProviderException failure) {
    if (!settle()) {
      return false;
    }
    account.ended();
    if (failure.byClientConstraint()) {
      ticket.abandon();
      slot.ignore();
    } else {
      ticket.failure(failure);
      if (failure.signalsOverload()) {
        slot.dropped();
      } else {
        slot.ignore();
      }
    }
    return true;
  }

  /** The gateway gave up on a sent attempt for reasons of its own: not held against the target. */
  void abandoned() {
    if (settle()) {
      account.ended();
      ticket.abandon();
      slot.ignore();
    }
  }

  /**
   * The attempt answered and won the race: its account reservation is settled with the request's
   * real usage at the end. Not a settlement of the permit: the attempt's outcome comes later.
   */
  void won() {
    if (!won) {
      won = true;
      account.won();
    }
  }

  /** Charges the account reservation with this attempt's own part of a spliced stream. */
  void settleAccount(long tokens) {
    account.settleWith(tokens);
  }

  boolean settled() {
    return settled;
  }

  private boolean settle() {
    if (settled) {
      return false;
    }
    settled = true;
    return true;
  }
}
