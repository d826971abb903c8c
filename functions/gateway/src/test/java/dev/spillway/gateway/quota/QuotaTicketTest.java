package dev.spillway.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.quota.Dimension;
import dev.spillway.quota.allowance.Allowance;
import dev.spillway.quota.allowance.AllowanceChain;
import dev.spillway.quota.allowance.DemandEstimator;
import dev.spillway.quota.lease.LeaseGrant;
import dev.spillway.usage.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settlement of a request's reservations: exactly once, with the real use, or expired. */
class QuotaTicketTest {

  private static final Dimension[] DIMENSIONS = {
    Dimension.TOKENS_PER_MINUTE,
    Dimension.REQUESTS_PER_MINUTE,
    Dimension.CONCURRENT_REQUESTS,
    Dimension.USD_MICROS_PER_MONTH
  };

  private final Allowance[] chain = new Allowance[DIMENSIONS.length];

  QuotaTicketTest() {
    for (int i = 0; i < chain.length; i++) {
      chain[i] = new Allowance("b" + i, new DemandEstimator(1, 0.5, Duration.ofSeconds(30)));
      chain[i].apply(
          chain[i].report(0), new LeaseGrant("b" + i, "", "ok", 1, -1, 10_000, 10_000, 0, 600_000));
    }
  }

  private QuotaTicket admit(long[] amounts) {
    AllowanceChain.Held held = (AllowanceChain.Held) AllowanceChain.tryReserve(chain, amounts, 1);
    return new QuotaTicket(held, DIMENSIONS, amounts, 40, new QuotaMetrics(null));
  }

  private static RequestRecord record(
      TokenUsage usage, String cost, Outcome outcome, int attempts) {
    return new RequestRecord(
        "req",
        new Caller("acme", "search", PriorityTier.STANDARD),
        "route",
        null,
        usage,
        false,
        -1,
        1,
        outcome,
        attempts,
        new BigDecimal(cost),
        false);
  }

  @Test
  void settlesEachBudgetWithItsOwnUnitOnce() {
    QuotaTicket ticket = admit(new long[] {1_040, 1, 1, 700});
    ticket.settle(record(TokenUsage.reported(40, 20), "0.000123", Outcome.SUCCESS, 1));
    assertEquals(60, chain[0].spent(), "tokens: prompt + completion");
    assertEquals(1, chain[1].spent(), "one request");
    assertEquals(0, chain[2].spent(), "no longer in flight");
    assertEquals(123, chain[3].spent(), "micro-dollars of the real cost");
    ticket.settle(record(TokenUsage.reported(4_000, 4_000), "9", Outcome.SUCCESS, 1));
    assertEquals(60, chain[0].spent(), "a second settlement changes nothing");
    ticket.expire();
    assertEquals(60, chain[0].spent(), "nor does a late expiry");
  }

  @Test
  void aClientThatLeftIsChargedItsPromptAndAFailureBeforeAnyUpstreamNothing() {
    QuotaTicket cancelled = admit(new long[] {1_040, 1, 1, 700});
    cancelled.settle(record(null, "0", Outcome.CLIENT_CANCELLED, 1));
    assertEquals(40, chain[0].spent());
    QuotaTicket failed = admit(new long[] {1_040, 1, 1, 700});
    failed.settle(record(null, "0", Outcome.UPSTREAM_ERROR, 0));
    assertEquals(40, chain[0].spent());
    assertEquals(2, chain[1].spent(), "each counts as a request");
    assertEquals(0, chain[2].spent());
  }

  @Test
  void anOrphanExpiresAsFullyUsed() {
    QuotaTicket orphan = admit(new long[] {1_040, 1, 1, 700});
    assertFalse(orphan.settled());
    orphan.expire();
    assertTrue(orphan.settled());
    assertEquals(1_040, chain[0].spent());
    assertEquals(0, chain[2].spent(), "the request is long over: its in-flight slot is free");
    orphan.settle(record(TokenUsage.reported(1, 1), "0", Outcome.SUCCESS, 1));
    assertEquals(1_040, chain[0].spent());
  }

  @Test
  void accountPermitsAreSettledByTheirAttemptOrWithTheRequest() {
    Allowance tokens = chain[0];
    Allowance requests = chain[1];
    QuotaTicket ticket = admit(new long[] {0, 0, 0, 0});
    Allowance[] account = {tokens, requests};
    QuotaTicket.AccountPermit failedAttempt = permit(ticket, account);
    QuotaTicket.AccountPermit winner = permit(ticket, account);
    QuotaTicket.AccountPermit neverSent = permit(ticket, account);
    failedAttempt.ended();
    winner.won();
    ticket.settle(record(TokenUsage.reported(30, 20), "0", Outcome.SUCCESS, 2));
    assertEquals(50 + 50, tokens.spent(), "the winner's real tokens, and the ticket's own");
    assertEquals(1 + 1 + 1, requests.spent(), "two attempts sent, and the request itself");
    neverSent.ended();
    assertEquals(3, requests.spent(), "a queued attempt that never started was released");
  }

  @Test
  void aRecoveredStreamChargesEachSegmentsAccountItsOwnTokensOnce() {
    Allowance[] first = {
      new Allowance("a1", new DemandEstimator(1, 0.5, Duration.ofSeconds(30))),
      new Allowance("a1r", new DemandEstimator(1, 0.5, Duration.ofSeconds(30)))
    };
    Allowance[] second = {
      new Allowance("a2", new DemandEstimator(1, 0.5, Duration.ofSeconds(30))),
      new Allowance("a2r", new DemandEstimator(1, 0.5, Duration.ofSeconds(30)))
    };
    for (Allowance a : new Allowance[] {first[0], first[1], second[0], second[1]}) {
      a.apply(a.report(0), new LeaseGrant(a.name(), "", "ok", 1, -1, 10_000, 10_000, 0, 600_000));
    }
    QuotaTicket ticket = admit(new long[] {0, 0, 0, 0});
    QuotaTicket.AccountPermit cut = permit(ticket, first);
    QuotaTicket.AccountPermit recovery = permit(ticket, second);
    // Both segments won their part of the stream; each is charged what it produced.
    cut.won();
    recovery.won();
    cut.settleWith(30);
    recovery.settleWith(70);
    ticket.settle(record(TokenUsage.reported(40, 60), "0", Outcome.SUCCESS, 2));
    assertEquals(30, first[0].spent(), "the cut segment's account: its own tokens");
    assertEquals(70, second[0].spent(), "the recovery's account: its own tokens, not the total");
    assertEquals(1, first[1].spent());
    assertEquals(1, second[1].spent());
  }

  private static QuotaTicket.AccountPermit permit(QuotaTicket ticket, Allowance[] account) {
    AllowanceChain.Held held =
        (AllowanceChain.Held) AllowanceChain.tryReserve(account, new long[] {1_040, 1}, 1);
    QuotaTicket.AccountPermit permit = new QuotaTicket.AccountPermit(held, 1_040, ticket);
    ticket.issued(permit);
    return permit;
  }
}
