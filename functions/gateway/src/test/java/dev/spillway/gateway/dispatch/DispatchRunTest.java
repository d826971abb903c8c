package dev.spillway.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.routing.RouteRules;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One request's race, driven step by step: the providers answer when the test says, and time moves
 * only when the test advances the scheduler, so fallback, retries, hedges, deadlines and the gate's
 * releases are checked logically, without a wall clock.
 */
class DispatchRunTest extends DispatchHarness {

  private final Scripted a = new Scripted("a");
  private final Scripted b = new Scripted("b");
  private final Scripted c = new Scripted("c");

  @Test
  void aFailedTargetFallsBackToTheNextAndEachBreakerHearsItsOwnOutcome() {
    UniAssertSubscriber<Dispatched<Completion>> answer = complete(request(rules(), a, b));

    a.fail(0, serverError(500));
    b.answer(0);

    Dispatched<Completion> won = answer.assertCompleted().getItem();
    assertEquals("b", won.target().provider().name());
    assertEquals(2, won.attempts());
    assertEquals(List.of("a/m failure", "b/m success"), breakers.heard);
    assertEquals(0, inFlight("a") + inFlight("b"), "every concurrency slot is given back");
  }

  @Test
  void aRetryOfTheSameTargetWaitsForItsBackoff() {
    maxAttemptsPerTarget = 2;
    UniAssertSubscriber<Dispatched<Completion>> answer = complete(request(rules(), a));

    a.fail(0, serverError(503));
    assertEquals(1, a.calls.size(), "no retry before the backoff");
    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(2, a.calls.size());
    a.answer(1);

    assertEquals(2, answer.assertCompleted().getItem().attempts());
    assertEquals(1.0, registry.counter("spillway.upstream.attempts", tags("a", "retry")).count());
  }

  @Test
  void aSlowAttemptIsHedgedAndTheBeatenOneIsHeldAgainstItsTarget() {
    RouteRules hedging = rules(new RouteRules.Hedge(RouteRules.HedgeMode.FIXED, ms(50), 0.9, MS));
    UniAssertSubscriber<Dispatched<Completion>> answer = complete(request(hedging, a, b));

    scheduler.advance(ms(49));
    assertEquals(0, b.calls.size(), "no hedge before its delay");
    scheduler.advance(ms(1));
    assertEquals(1, b.calls.size());
    b.answer(0);

    assertEquals("b", answer.assertCompleted().getItem().target().provider().name());
    assertEquals(1, a.cancelled, "the slow attempt's call is cancelled");
    assertEquals(List.of("a/m failure", "b/m success"), breakers.heard);
    assertEquals(
        1.0, registry.counter("spillway.hedges.won", "provider", "b", "model", "m").count());
  }

  @Test
  void theDeadlineEndsTheRunCancelsWhatRunsAndBlamesNoTarget() {
    UniAssertSubscriber<Dispatched<Completion>> answer =
        complete(request(rules(), scheduler.nanoTime() + ms(800).toNanos(), a, b));

    scheduler.advance(ms(800));

    assertEquals(ProviderException.Kind.DEADLINE_EXCEEDED, failure(answer).last().kind());
    assertEquals(1, a.cancelled);
    assertEquals(List.of("a/m abandon"), breakers.heard);
    assertEquals(0, scheduler.pending(), "no timer outlives the run");
  }

  @Test
  void answersFailingTheClientsOwnConstraintsStopAfterTwoAndSpareEveryBreaker() {
    UniAssertSubscriber<Dispatched<Completion>> answer = complete(request(rules(), a, b, c));

    a.fail(0, ProviderException.underClientConstraint("a", "response_format", "no match"));
    b.fail(0, ProviderException.underClientConstraint("b", "response_format", "no match"));

    DispatchFailedException failed = failure(answer);
    assertTrue(failed.last().byClientConstraint());
    assertEquals(2, failed.attempts());
    assertEquals(0, c.calls.size(), "a third target is not spent on the client's constraint");
    assertEquals(List.of("a/m abandon", "b/m abandon"), breakers.heard);
    assertEquals(
        1.0,
        registry
            .counter(
                "spillway.upstream.failures",
                "provider",
                "a",
                "model",
                "m",
                "reason",
                "client_constrained")
            .count());
  }

  @Test
  void anAccountWithoutRoomSkipsItsTargetWithoutACall() {
    List<String> account = new ArrayList<>();
    UpstreamQuota quota =
        target -> target.provider() == a ? refused(account, target) : granted(account, target);
    UniAssertSubscriber<Dispatched<Completion>> answer = complete(request(rules(), quota, a, b));

    b.answer(0);

    answer.assertCompleted();
    assertEquals(0, a.calls.size());
    assertEquals(List.of("a refused", "b reserved", "b won"), account);
    assertEquals(
        1.0,
        registry
            .counter("spillway.admission.rejected", "provider", "a", "reason", "ACCOUNT_QUOTA")
            .count());
  }

  @Test
  void openBreakersAreSkippedAndWhenAllAreOpenTheRunFailsAtOnce() {
    breakers.open.add("a/m");
    breakers.open.add("b/m");

    UniAssertSubscriber<Dispatched<Completion>> answer = complete(request(rules(), a, b));

    assertEquals(ProviderException.Kind.CIRCUIT_OPEN, failure(answer).last().kind());
    assertEquals(0, a.calls.size() + b.calls.size());
  }

  @Test
  void aRefusalOfTheLastCheckGivesBackWhatTheFirstTwoGranted() {
    breakers.refuseOnAdmit.add("a/m"); // open between the pick and the gate: a half-open race
    List<String> account = new ArrayList<>();
    UniAssertSubscriber<Dispatched<Completion>> answer =
        complete(request(rules(), target -> granted(account, target), a, b));

    b.answer(0);

    answer.assertCompleted();
    assertEquals(0, a.calls.size());
    assertEquals(List.of("a reserved", "a released", "b reserved", "b won"), account);
    assertEquals(0, inFlight("a"), "the concurrency slot of the refused attempt is free again");
  }

  @Test
  void aCallerWhoLeavesWhileQueuedGetsNothingAndHoldsNothing() {
    concurrencyLimit = 1;
    UniAssertSubscriber<Dispatched<Completion>> first = complete(request(rules(), a));
    List<String> account = new ArrayList<>();
    UniAssertSubscriber<Dispatched<Completion>> second =
        complete(request(rules(), target -> granted(account, target), a));
    assertEquals(1, a.calls.size(), "the second request waits for the only slot");

    second.cancel();
    a.answer(0);

    first.assertCompleted();
    assertEquals(1, a.calls.size(), "the queued request is never sent");
    assertEquals(List.of("a reserved", "a released"), account);
    assertEquals(0, inFlight("a"));
  }
}
