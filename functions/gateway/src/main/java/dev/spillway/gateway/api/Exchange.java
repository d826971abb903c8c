package dev.spillway.gateway.api;

import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.dispatch.DispatchFailedException;
import dev.spillway.gateway.dispatch.DispatchRequest;
import dev.spillway.gateway.dispatch.StreamSummary;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.quota.QuotaCaller;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.quota.QuotaTicket;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenUsage;
import io.vertx.core.http.HttpServerResponse;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The facts of one routed chat request that every response path needs.
 *
 * @param startNanos {@link System#nanoTime()} at receipt
 * @param dispatch what the dispatcher is asked to do
 * @param quotaCaller the caller as the quota function resolved it, or null when quota is off
 * @param ticket what the request holds on the caller's budgets ({@link QuotaTicket#NONE} when off)
 * @param quota quota enforcement, for the rate-limit headers
 * @param routing how an {@code auto} route chose, or null
 */
record Exchange(
    String requestId,
    long startNanos,
    Caller caller,
    String route,
    ChatCompletionRequest request,
    DispatchRequest dispatch,
    QuotaCaller quotaCaller,
    QuotaTicket ticket,
    QuotaRuntime quota,
    RouteDecision routing) {

  /** An exchange on a route that tries its targets in configured order. */
  Exchange(
      String requestId,
      long startNanos,
      Caller caller,
      String route,
      ChatCompletionRequest request,
      DispatchRequest dispatch,
      QuotaCaller quotaCaller,
      QuotaTicket ticket,
      QuotaRuntime quota) {
    this(requestId, startNanos, caller, route, request, dispatch, quotaCaller, ticket, quota, null);
  }

  /**
   * Ends the request's accounting: settles its quota reservations with the real usage (exactly
   * once, whoever calls first), then records usage and sends the usage event.
   */
  void settle(UsageAccountant accountant, RequestRecord record) {
    ticket.settle(record);
    accountant.settle(record);
  }

  /** Adds the caller's {@code x-ratelimit-*} headers (none when quota is off). */
  void rateLimitHeaders(HttpServerResponse response) {
    putRateLimitHeaders(response, quota, quotaCaller);
  }

  static void putRateLimitHeaders(
      HttpServerResponse response, QuotaRuntime quota, QuotaCaller caller) {
    if (caller == null || response.headWritten()) {
      return;
    }
    for (Map.Entry<String, String> header : quota.headers(caller).entrySet()) {
      response.putHeader(header.getKey(), header.getValue());
    }
  }

  private static final BigDecimal NOTHING = BigDecimal.ZERO.setScale(Price.COST_SCALE);

  /** The record of a request no target served: rejected upstream, shed, or every target failed. */
  RequestRecord failed(Throwable failure) {
    if (failure instanceof DispatchFailedException dispatch) {
      Outcome outcome =
          switch (dispatch.last().kind()) {
            case CLIENT_ERROR -> Outcome.REJECTED;
            case DEADLINE_EXCEEDED -> Outcome.DEADLINE_EXCEEDED;
            case OVERLOADED -> Outcome.SHED;
            default -> Outcome.UPSTREAM_ERROR;
          };
      return record(null, null, -1, outcome, dispatch.attempts());
    }
    return record(null, null, -1, Outcome.UPSTREAM_ERROR, 0);
  }

  /** The outcome of a stream that ended with an error after output reached the client. */
  static Outcome brokenStreamOutcome(Throwable failure) {
    return failure instanceof ProviderException provider
            && provider.kind() == ProviderException.Kind.DEADLINE_EXCEEDED
        ? Outcome.DEADLINE_EXCEEDED
        : Outcome.STREAM_BROKEN;
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
    BigDecimal cost = usage == null || target == null ? NOTHING : target.price().cost(usage);
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
        attempts,
        cost,
        false,
        routing);
  }

  /** The record of a stream, priced call by call (a recovered stream had more than one). */
  RequestRecord record(
      StreamSummary summary, long ttftNanos, Outcome outcome, int attempts, long endNanos) {
    return new RequestRecord(
        requestId,
        caller,
        route,
        summary.lastTarget(),
        summary.total(),
        true,
        ttftNanos,
        endNanos - startNanos,
        outcome,
        attempts,
        summary.cost(),
        summary.recovered(),
        routing);
  }
}
