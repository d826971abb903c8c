package dev.spillway.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.allowance.Allowance;
import dev.spillway.quota.allowance.Reservation;
import dev.spillway.quota.lease.LeaseClaim;
import dev.spillway.quota.lease.LeaseGrant;
import dev.spillway.quota.lease.LeaseRequest;
import dev.spillway.quota.lease.LeaseResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The lease manager's round logic with a manual clock. The test plays the quota function's part by
 * completing each sent round by hand (what was claimed is what is checked); the real quota function
 * is exercised by the gateway's integration tests.
 */
class LeaseManagerTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private final List<LeaseRequest> sent = new ArrayList<>();
  private final List<CompletableFuture<LeaseResponse>> pending = new ArrayList<>();
  private final List<String> transitions = new ArrayList<>();

  private final LeaseManager manager =
      new LeaseManager(
          request -> {
            sent.add(request);
            CompletableFuture<LeaseResponse> answer = new CompletableFuture<>();
            pending.add(answer);
            return answer;
          },
          clock::get,
          Duration.ofSeconds(5),
          Duration.ofMillis(250),
          new LeaseManager.Listener() {
            @Override
            public void connection(
                LeaseManager.Connection from, LeaseManager.Connection to, String reason) {
              transitions.add(from + "->" + to);
            }

            @Override
            public void round(boolean succeeded, long nanos) {}
          });

  private static LeaseGrant grant(LeaseClaim claim, long allowance, long validForMs) {
    return new LeaseGrant(
        claim.resource(),
        claim.client(),
        "ok",
        60_000,
        30_000,
        10_000,
        allowance,
        5_000,
        validForMs);
  }

  private void answerLast(long allowance, long validForMs) {
    LeaseRequest request = sent.get(sent.size() - 1);
    List<LeaseGrant> grants = new ArrayList<>();
    for (LeaseClaim claim : request.claims()) {
      grants.add(grant(claim, allowance, validForMs));
    }
    pending.get(pending.size() - 1).complete(new LeaseResponse(grants, 2_000));
  }

  @Test
  void oneBatchedCallCarriesEveryClaimOfTheInstance() {
    manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.lease("tenant/acme/feature/search/tokens-per-day", "", null);
    manager.lease("account/openai/tokens-per-minute", "acme", "interactive");
    manager.tick();
    assertEquals(1, sent.size());
    LeaseRequest request = sent.get(0);
    assertEquals(manager.instance(), request.instance());
    assertEquals(3, request.claims().size());
    LeaseClaim account =
        request.claims().stream()
            .filter(c -> c.resource().startsWith("account/"))
            .findFirst()
            .orElseThrow();
    assertEquals("acme", account.client());
    assertEquals("interactive", account.tier());
    assertTrue(account.want() >= 4_096, "a new lease asks for at least the floor");
    manager.tick();
    assertEquals(1, sent.size(), "one round at a time");
    answerLast(1_000, 10_000);
    assertEquals(LeaseManager.Connection.CONNECTED, manager.connection());
    assertEquals(Duration.ofSeconds(2), manager.refreshInterval());
    manager.tick();
    assertEquals(1, sent.size(), "nothing is due right after a round");
  }

  @Test
  void aBudgetUnknownAtFirstIsAskedAboutAgainAndEnforcedOnceItExists() {
    LeaseManager.Lease lease = manager.lease("account/openai/tokens-per-minute", "acme", "batch");
    manager.tick();
    LeaseClaim claim = sent.get(0).claims().get(0);
    pending
        .get(0)
        .complete(
            new LeaseResponse(
                List.of(
                    new LeaseGrant(
                        claim.resource(), claim.client(), LeaseGrant.UNKNOWN, 0, -1, 0, 0, 0, 0)),
                2_000));
    assertEquals(Allowance.Status.UNLIMITED, lease.allowance().status());
    assertTrue(lease.allowance().tryReserve(1_000_000, clock.get()).admitted());
    // Rounds at the refresh interval leave it out until the recheck is due...
    clock.addAndGet(2_000 * MS);
    manager.tick();
    assertEquals(1, sent.size(), "nothing to claim before the recheck is due");
    // ...and then ask again: an admin has created the budget meanwhile.
    clock.addAndGet(LeaseManager.DEFAULT_UNKNOWN_RECHECK.toNanos());
    manager.tick();
    assertEquals(2, sent.size());
    LeaseRequest recheck = sent.get(1);
    assertEquals(1, recheck.claims().size(), "the unknown budget is claimed again");
    assertTrue(recheck.claims().get(0).want() > 0);
    answerLast(500, 10_000);
    assertEquals(Allowance.Status.LEASED, lease.allowance().status());
    assertTrue(lease.allowance().tryReserve(500, clock.get()).admitted());
    assertFalse(lease.allowance().tryReserve(1, clock.get()).admitted(), "now it is enforced");
  }

  @Test
  void aRefusedAskBecomesTheNextClaimsUnit() {
    LeaseManager.Lease lease = manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(1_000, 10_000);
    manager.shortfall(lease, 3_000);
    manager.shortfall(lease, 2_500);
    clock.addAndGet(2_000 * MS);
    manager.tick();
    LeaseClaim claim = sent.get(1).claims().get(0);
    assertEquals(3_000, claim.unit(), "the largest ask refused since the last round");
    assertTrue(claim.want() >= 3_000);
    answerLast(1_000, 10_000);
    clock.addAndGet(2_000 * MS);
    manager.tick();
    assertEquals(0, sent.get(2).claims().get(0).unit(), "nothing refused since");
  }

  @Test
  void reportsUseAndRenewsAtTheRefreshIntervalOrWhenAskedTo() {
    LeaseManager.Lease lease = manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(1_000, 10_000);
    Reservation r = (Reservation) lease.allowance().tryReserve(300, clock.get());
    r.settle(120);
    clock.addAndGet(2_000 * MS);
    manager.tick();
    assertEquals(2, sent.size());
    assertEquals(120, sent.get(1).claims().get(0).used());
    assertEquals(60_000, sent.get(1).claims().get(0).window());
    answerLast(1_000, 10_000);
    var waiter = manager.renewSoon().toCompletableFuture();
    assertEquals(3, sent.size(), "a request's renewal starts at once");
    assertFalse(waiter.isDone());
    answerLast(1_000, 10_000);
    assertTrue(waiter.isDone());
  }

  @Test
  void aShortfallRaisesTheWant() {
    LeaseManager.Lease lease = manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(100, 10_000);
    manager.shortfall(lease, 9_000);
    manager.renewSoon();
    assertTrue(sent.get(1).claims().get(0).want() >= 9_000);
  }

  @Test
  void idleAllowancesAreReturnedOnceThenLeftOut() {
    manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(5_000, 600_000);
    // No use for longer than the idle time (30 s): the next claim returns everything.
    for (int i = 1; i <= 20; i++) {
      clock.addAndGet(2_000 * MS);
      manager.tick();
      answerLast(sent.get(sent.size() - 1).claims().isEmpty() ? 0 : 5_000, 600_000);
    }
    LeaseClaim last = sent.get(sent.size() - 1).claims().get(0);
    assertEquals(0, last.want());
    int rounds = sent.size();
    clock.addAndGet(2_000 * MS);
    manager.tick();
    assertEquals(rounds, sent.size(), "a returned, unused allowance is not claimed again");
  }

  @Test
  void aReturnedAllowanceIdleForLongIsForgottenAndMadeAfreshOnNextUse() {
    LeaseManager.Lease first = manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(5_000, 600_000);
    for (int i = 1; i <= 20; i++) {
      clock.addAndGet(2_000 * MS);
      manager.tick();
      answerLast(sent.get(sent.size() - 1).claims().isEmpty() ? 0 : 5_000, 600_000);
    }
    assertEquals(0, sent.get(sent.size() - 1).claims().get(0).want(), "returned");
    assertEquals(1, manager.leases().size(), "kept while the idle time has not passed");
    clock.addAndGet(LeaseManager.DEFAULT_EVICT_AFTER.toNanos());
    manager.tick();
    assertTrue(manager.leases().isEmpty(), "a client-keyed map does not only grow");

    int rounds = sent.size();
    LeaseManager.Lease again = manager.lease("tenant/acme/tokens-per-minute", "", null);
    assertFalse(again == first, "a fresh allowance");
    manager.tick();
    assertEquals(rounds + 1, sent.size(), "the fresh allowance is claimed at once");
    assertTrue(sent.get(sent.size() - 1).claims().get(0).want() >= 4_096);
  }

  @Test
  void anAllowanceInUseIsNeverForgotten() {
    LeaseManager.Lease lease = manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(5_000, 600_000);
    for (int i = 1; i <= 400; i++) {
      clock.addAndGet(2_000 * MS);
      ((Reservation) lease.allowance().tryReserve(10, clock.get())).settle(10);
      manager.tick();
      answerLast(5_000, 600_000);
    }
    assertEquals(1, manager.leases().size());
    assertTrue(manager.lease("tenant/acme/tokens-per-minute", "", null) == lease);
  }

  @Test
  void unreachableOnlyOnceALeaseHasExpired() {
    LeaseManager.Lease lease = manager.lease("tenant/acme/tokens-per-minute", "", null);
    manager.tick();
    answerLast(1_000, 3_000);
    clock.addAndGet(2_000 * MS);
    manager.tick();
    pending.get(pending.size() - 1).completeExceptionally(new QuotaUnavailableException("down"));
    assertEquals(
        LeaseManager.Connection.CONNECTED, manager.connection(), "the lease is still valid");
    assertTrue(lease.allowance().tryReserve(1, clock.get()).admitted());
    clock.addAndGet(1_100 * MS);
    manager.tick();
    pending.get(pending.size() - 1).completeExceptionally(new QuotaUnavailableException("down"));
    assertEquals(LeaseManager.Connection.UNREACHABLE, manager.connection());
    assertEquals(List.of("STARTING->CONNECTED", "CONNECTED->UNREACHABLE"), transitions);
    assertEquals(
        Allowance.Status.LEASED, lease.allowance().status(), "the lease is kept, but has expired");
    assertFalse(lease.allowance().tryReserve(1, clock.get()).admitted());
    clock.addAndGet(300 * MS);
    manager.tick();
    answerLast(1_000, 3_000);
    assertEquals(LeaseManager.Connection.CONNECTED, manager.connection());
    assertEquals(
        1, sent.get(sent.size() - 1).claims().get(0).used(), "use is reported after the outage");
  }

  @Test
  void unknownBudgetsAreUnlimitedAndNotClaimedAgain() {
    LeaseManager.Lease lease = manager.lease("account/openai/requests-per-minute", "acme", "batch");
    manager.tick();
    LeaseClaim claim = sent.get(0).claims().get(0);
    pending
        .get(0)
        .complete(
            new LeaseResponse(
                List.of(
                    new LeaseGrant(
                        claim.resource(), claim.client(), LeaseGrant.UNKNOWN, 0, -1, 0, 0, 0, 0)),
                2_000));
    assertEquals(Allowance.Status.UNLIMITED, lease.allowance().status());
    clock.addAndGet(3_000 * MS);
    manager.tick();
    assertEquals(1, sent.size());
  }
}
