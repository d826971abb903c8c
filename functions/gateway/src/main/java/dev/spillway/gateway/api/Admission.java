package dev.spillway.gateway.api;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.quota.QuotaCaller;
import dev.spillway.gateway.quota.QuotaTicket;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.Target;
import java.util.List;

/** What the admit stage decided about one parsed, routed request. */
sealed interface Admission {

  /**
   * The request may be dispatched: everything the dispatch and respond stages need.
   *
   * @param quotaCaller the caller as the quota function knows it; null when quota is off
   * @param ticket the request's reservations; {@link QuotaTicket#NONE} when quota is off
   * @param routing what the routing stage decided: the targets in order, and for an {@code auto}
   *     route the category and reason
   */
  record Admitted(
      String requestId,
      long startNanos,
      Caller caller,
      QuotaCaller quotaCaller,
      QuotaTicket ticket,
      ChatRequestReader.Parsed parsed,
      RouteDecision routing)
      implements Admission {

    /** The targets to try, first choice first. */
    List<Target> candidates() {
      return routing.candidates();
    }
  }

  /**
   * The request may not be dispatched.
   *
   * @param quotaCaller whose budgets the {@code x-ratelimit-*} headers describe
   * @param cause what the client is told: a budget without room (429), the quota function
   *     unreachable for a fail-closed tier (503)
   */
  record Refused(String requestId, QuotaCaller quotaCaller, Throwable cause) implements Admission {}
}
