package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.routing.RouteRules;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * One request to dispatch.
 *
 * @param request the client's validated request
 * @param requestId the gateway's request id
 * @param route the client-facing model name (a metric label)
 * @param rules the route's deadlines, hedging, recovery and validation
 * @param candidates targets in order of preference; never empty
 * @param caller who asks: its tier orders admission and shedding, its tenant labels what the
 *     client's own constraints cost
 * @param deadlineNanos {@link System#nanoTime()} by which the client must have its answer
 * @param loop runs a task on the request's event loop (at once when already there): every signal of
 *     the dispatch is handled there, so its state needs no locks
 * @param quota the caller's reservations on provider accounts, one per attempt
 */
public record DispatchRequest(
    ChatCompletionRequest request,
    String requestId,
    String route,
    RouteRules rules,
    List<Target> candidates,
    Caller caller,
    long deadlineNanos,
    Executor loop,
    UpstreamQuota quota) {

  /** A request without provider-account limits. */
  public DispatchRequest(
      ChatCompletionRequest request,
      String requestId,
      String route,
      RouteRules rules,
      List<Target> candidates,
      Caller caller,
      long deadlineNanos,
      Executor loop) {
    this(
        request,
        requestId,
        route,
        rules,
        candidates,
        caller,
        deadlineNanos,
        loop,
        UpstreamQuota.UNLIMITED);
  }

  public DispatchRequest {
    candidates = List.copyOf(candidates);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidates for " + route);
    }
  }

  /** The caller's priority, for admission and shedding. */
  public PriorityTier tier() {
    return caller.tier();
  }

  /** The caller's tenant. */
  public String tenant() {
    return caller.tenant();
  }

  /** The same request with another body and other candidates: a mid-stream continuation. */
  DispatchRequest continuing(ChatCompletionRequest continuation, List<Target> others) {
    return new DispatchRequest(
        continuation, requestId, route, rules, others, caller, deadlineNanos, loop, quota);
  }
}
