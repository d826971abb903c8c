package dev.spillway.gateway.resilience;

import dev.spillway.gateway.routing.Target;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Circuit breakers in front of every target: one per provider (an outage of the whole account or
 * endpoint) and one per provider and upstream model (one model overloaded or withdrawn). An attempt
 * goes out only when both admit it, and its outcome is reported to both.
 *
 * <p>Implementations are thread-safe and never block.
 */
public interface CircuitBreakers {

  /**
   * Asks to admit one attempt on {@code target}; {@code decision} is called once, possibly on
   * another thread, with the ticket on which the attempt's outcome must be reported exactly once,
   * or with empty when either breaker is open (no request may be sent).
   */
  void admit(Target target, Consumer<Optional<Ticket>> decision);

  /**
   * True while an attempt on {@code target} would be refused: a breaker is open and its delay has
   * not passed. Used to pick hedge and fallback targets without spending a half-open probe.
   */
  boolean isOpen(Target target);

  /** Every breaker's state, by name ({@code provider} or {@code provider/model}). */
  Map<String, BreakerState> states();

  /** A breaker's state. */
  enum BreakerState {
    CLOSED,
    HALF_OPEN,
    OPEN
  }

  /** One admitted attempt; the first report counts, later ones are ignored. */
  interface Ticket {
    /** The attempt produced a valid answer. */
    void success();

    /**
     * The attempt failed. Client errors (the request itself was wrong) are not held against the
     * target; everything else is, including first-token timeouts and invalid 200s.
     */
    void failure(Throwable cause);

    /**
     * The gateway gave up on the attempt for its own reasons (a hedge won, the client left): it
     * says nothing about the target's health.
     */
    void abandon();
  }
}
