package dev.spillway.gateway.api;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.quota.QuotaCaller;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.quota.QuotaTicket;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The admit stage: reserves a request's estimate on every budget of its caller, or says why not.
 * Its answer is a value ({@link Admission}), never an exception, so the route has one place that
 * turns a refusal into a response. With quota off every request is admitted at once.
 */
final class QuotaGate {

  private final QuotaRuntime quota;

  QuotaGate(QuotaRuntime quota) {
    this.quota = quota;
  }

  /**
   * @param quotaCaller the caller as the quota function knows it; null when quota is off
   * @param loop where the admission completes (the request's event loop)
   * @return completes at once when quota is off; otherwise when the reservation is decided, which
   *     may wait up to {@code gateway.quota.renewal-wait} for a lease renewal (without blocking)
   */
  CompletionStage<Admission> admit(
      String requestId,
      long startNanos,
      Caller caller,
      QuotaCaller quotaCaller,
      ChatRequestReader.Parsed parsed,
      RouteDecision routing,
      EventLoopExecutor loop) {
    List<Target> candidates = routing.candidates();
    if (quotaCaller == null) {
      return CompletableFuture.completedFuture(
          new Admission.Admitted(
              requestId, startNanos, caller, null, QuotaTicket.NONE, parsed, routing));
    }
    return quota
        .admission()
        .admit(quotaCaller, parsed.request(), candidates, parsed.deadlineNanos(), loop)
        .handle(
            (ticket, failure) ->
                failure != null
                    ? new Admission.Refused(
                        requestId,
                        quotaCaller,
                        failure instanceof CompletionException c ? c.getCause() : failure)
                    : new Admission.Admitted(
                        requestId, startNanos, caller, quotaCaller, ticket, parsed, routing));
  }
}
