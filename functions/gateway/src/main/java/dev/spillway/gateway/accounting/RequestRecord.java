package dev.spillway.gateway.accounting;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.Target;
import dev.spillway.usage.TokenUsage;
import java.math.BigDecimal;

/**
 * Everything known about one finished chat request, for metrics and the usage event.
 *
 * @param target the target that served it, or null when none did
 * @param usage tokens consumed, or null when nothing was served
 * @param ttftNanos time to the first output written to the client, or -1 (non-stream, or none)
 * @param durationNanos time from receipt to the end of the response
 * @param attempts upstream requests sent
 * @param cost what the usage costs, at the price of each target that contributed
 * @param recovered true when a stream broken mid-way was continued on another target
 * @param routing how an {@code auto} route chose (category, reason, its strongest target), or null
 */
public record RequestRecord(
    String requestId,
    Caller caller,
    String route,
    Target target,
    TokenUsage usage,
    boolean stream,
    long ttftNanos,
    long durationNanos,
    Outcome outcome,
    int attempts,
    BigDecimal cost,
    boolean recovered,
    RouteDecision routing) {

  /** A record of a request whose route tried its targets in configured order. */
  public RequestRecord(
      String requestId,
      Caller caller,
      String route,
      Target target,
      TokenUsage usage,
      boolean stream,
      long ttftNanos,
      long durationNanos,
      Outcome outcome,
      int attempts,
      BigDecimal cost,
      boolean recovered) {
    this(
        requestId,
        caller,
        route,
        target,
        usage,
        stream,
        ttftNanos,
        durationNanos,
        outcome,
        attempts,
        cost,
        recovered,
        null);
  }

  /**
   * What the usage would have cost on the route's strongest target: the counterfactual that quality
   * routing's savings are measured against. Null for configured-order routes and unserved requests.
   */
  public BigDecimal strongestCost() {
    if (routing == null || routing.strongest() == null || usage == null) {
      return null;
    }
    return routing.strongest().price().cost(usage);
  }
}
