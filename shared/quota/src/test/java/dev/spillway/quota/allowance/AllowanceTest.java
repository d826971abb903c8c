package dev.spillway.quota.allowance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.lease.LeaseGrant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AllowanceTest {

  private static final long MS = 1_000_000L;

  private static Allowance allowance() {
    return new Allowance(
        "tenant/acme/tokens-per-minute", new DemandEstimator(100, 0.5, Duration.ofSeconds(10)));
  }

  private static LeaseGrant grant(long window, long endsInMs, long allowance, long remaining) {
    return grant(window, endsInMs, allowance, remaining, 600_000);
  }

  private static LeaseGrant grant(
      long window, long endsInMs, long allowance, long remaining, long validForMs) {
    return new LeaseGrant(
        "tenant/acme/tokens-per-minute",
        "",
        "ok",
        window,
        endsInMs,
        10_000,
        allowance,
        remaining,
        validForMs);
  }

  private static Allowance leased(long amount) {
    Allowance a = allowance();
    a.apply(a.report(0), grant(60_000, 60_000, amount, 500));
    return a;
  }

  @Test
  void refusesWithoutALeaseAndAsksForARenewal() {
    Decision d = allowance().tryReserve(1, 0);
    Refusal refusal = assertInstanceOf(Refusal.class, d);
    assertEquals(Refusal.Reason.NO_LEASE, refusal.reason());
    assertTrue(refusal.renewalMayHelp());
  }

  @Test
  void admitsUpToTheAllowanceThenRefusesWithWhatIsLeft() {
    Allowance a = leased(1_000);
    assertTrue(a.tryReserve(600, MS).admitted());
    assertTrue(a.tryReserve(400, MS).admitted());
    Refusal refusal = assertInstanceOf(Refusal.class, a.tryReserve(1, MS));
    assertEquals(Refusal.Reason.NO_ROOM, refusal.reason());
    assertEquals(0, refusal.available());
    assertEquals(500, refusal.budgetRemaining());
    assertEquals(59_999 * MS, refusal.windowEndsInNanos());
    assertTrue(refusal.renewalMayHelp(), "the budget has unleased headroom");
  }

  @Test
  void settleRefundsOrChargesAndMayOverdraw() {
    Allowance a = leased(1_000);
    Reservation r = (Reservation) a.tryReserve(1_000, MS);
    r.settle(20);
    assertEquals(980, a.available());
    assertEquals(980 + 500, a.remaining(MS), "own allowance plus unleased headroom");
    Reservation big = (Reservation) a.tryReserve(980, MS);
    big.settle(1_100);
    assertEquals(-120, a.available(), "the use happened: an overdraw is kept, not forgiven");
    assertInstanceOf(Refusal.class, a.tryReserve(1, MS));
  }

  @Test
  void releaseGivesEverythingBack() {
    Allowance a = leased(100);
    ((Reservation) a.tryReserve(100, MS)).release();
    assertEquals(100, a.available());
    assertEquals(0, a.unreported());
  }

  @Test
  void reportsNetUseSinceTheLastSuccessfulReport() {
    Allowance a = leased(1_000);
    ((Reservation) a.tryReserve(300, MS)).settle(100);
    Allowance.Report first = a.report(2 * MS);
    assertEquals(100, first.used());
    assertEquals(60_000, first.window());
    a.failed(first);
    ((Reservation) a.tryReserve(50, 3 * MS)).settle(50);
    Allowance.Report second = a.report(4 * MS);
    assertEquals(150, second.used(), "a failed report is reported again");
    a.apply(second, grant(60_000, 59_000, 2_000, 0));
    assertEquals(0, a.report(5 * MS).used());
  }

  @Test
  void admissionsDuringTheRenewalAreSubtractedFromTheGrant() {
    Allowance a = leased(1_000);
    ((Reservation) a.tryReserve(100, MS)).settle(100);
    Allowance.Report sent = a.report(2 * MS);
    // Admitted while the renewal is in flight:
    Reservation during = (Reservation) a.tryReserve(200, 3 * MS);
    // The quota function took the 100 reported off and granted 500 from the send time:
    a.apply(sent, grant(60_000, 58_000, 500, 0));
    assertEquals(300, a.available(), "500 granted at send time minus 200 admitted since");
    during.settle(200);
    assertEquals(200, a.report(4 * MS).used(), "reported with the next renewal");
  }

  @Test
  void windowEndLapsesTheAllowanceAndARefundAfterItIsReportedAgainstTheOldWindow() {
    Allowance a = leased(1_000); // window ends 60 s after the send at 0
    Reservation old = (Reservation) a.tryReserve(500, MS);
    assertTrue(a.windowEnded(60_000 * MS));
    Refusal lapsed = assertInstanceOf(Refusal.class, a.tryReserve(1, 60_000 * MS));
    assertEquals(Refusal.Reason.WINDOW_ENDED, lapsed.reason());
    Allowance.Report rollover = a.report(60_001 * MS);
    assertEquals(60_000, rollover.window(), "the old window's use is reported against it");
    assertEquals(500, rollover.used());
    a.apply(rollover, grant(120_000, 59_990, 800, 0));
    // The request admitted in the old window ends in the new one, using 100 of its 500.
    old.settle(100);
    assertEquals(800, a.available(), "the refund does not grow the new window's allowance");
    Reservation newer = (Reservation) a.tryReserve(100, 60_002 * MS);
    newer.settle(100);
    assertEquals(700, a.available());
    Allowance.Report next = a.report(60_003 * MS);
    assertEquals(120_000, next.window());
    assertEquals(100, next.used());
    assertEquals(60_000, next.previousWindow());
    assertEquals(-400, next.previousUsed(), "the refund goes to the window that admitted it");
    a.apply(next, grant(120_000, 59_980, 700, 0));
    assertEquals(0, a.report(60_004 * MS).previousUsed(), "reported once");
  }

  @Test
  void overdrawOfAnEndedWindowIsChargedToThatWindow() {
    Allowance a = leased(1_000);
    Reservation old = (Reservation) a.tryReserve(100, MS);
    a.apply(a.report(60_001 * MS), grant(120_000, 59_990, 800, 0));
    old.settle(300);
    assertEquals(800, a.available(), "the new window's allowance is untouched");
    assertEquals(200, a.report(60_002 * MS).previousUsed());
  }

  @Test
  void aPrefetchedNextWindowIsUsedAtTheBoundaryWithoutARenewal() {
    Allowance a = allowance();
    // Sent 1 s before its window's end: 300 granted there, and 600 in advance for the next window.
    Allowance.Report sent = a.report(119_000 * MS);
    a.apply(
        sent,
        new LeaseGrant(
            "tenant/acme/tokens-per-minute",
            "",
            "ok",
            60_000,
            1_000,
            10_000,
            300,
            0,
            600_000,
            new LeaseGrant.Next(120_000, 61_000, 600, 0)));
    Reservation before = (Reservation) a.tryReserve(300, 119_500 * MS);
    assertInstanceOf(Refusal.class, a.tryReserve(1, 119_600 * MS));
    assertFalse(a.windowEnded(120_000 * MS), "the next window's grant is at hand");
    assertEquals(600, a.available(120_000 * MS));
    Reservation after = (Reservation) a.tryReserve(600, 120_000 * MS);
    assertInstanceOf(Refusal.class, a.tryReserve(1, 120_001 * MS));
    before.settle(200); // in flight across the boundary: refunded to the window that admitted it
    after.settle(600);
    Allowance.Report report = a.report(120_002 * MS);
    assertEquals(120_000, report.window());
    assertEquals(600, report.used());
    assertEquals(60_000, report.previousWindow());
    assertEquals(200, report.previousUsed(), "300 reserved, 200 used, none of it reported yet");
    a.apply(report, grant(120_000, 59_990, 0, 0));
    // That window ends too, and nothing was prefetched for it: a renewal is due.
    assertTrue(a.windowEnded(180_000 * MS));
  }

  @Test
  void expiresAfterTheLeaseValidityCountedFromTheSendTime() {
    Allowance a = allowance();
    Allowance.Report sent = a.report(10 * MS);
    a.apply(sent, grant(60_000, 60_000, 1_000, 0, 5_000)); // valid 5,000 ms from the send at 10 ms
    assertTrue(a.tryReserve(1, 5_009 * MS).admitted());
    Refusal expired = assertInstanceOf(Refusal.class, a.tryReserve(1, 5_010 * MS));
    assertEquals(Refusal.Reason.EXPIRED, expired.reason());
  }

  @Test
  void unknownBudgetIsUnlimited() {
    Allowance a = allowance();
    a.apply(
        a.report(0),
        new LeaseGrant("tenant/acme/tokens-per-minute", "", LeaseGrant.UNKNOWN, 0, -1, 0, 0, 0, 0));
    assertEquals(Allowance.Status.UNLIMITED, a.status());
    for (int i = 0; i < 10; i++) {
      ((Reservation) a.tryReserve(1_000_000, Long.MAX_VALUE - 1)).settle(5);
    }
  }

  @Test
  void concurrentRequestsWithoutAWindowReportInFlightDeltas() {
    Allowance a = allowance();
    a.apply(
        a.report(0),
        new LeaseGrant("tenant/acme/concurrent-requests", "", "ok", 0, -1, 4, 2, 2, 5_000));
    Reservation one = (Reservation) a.tryReserve(1, MS);
    Reservation two = (Reservation) a.tryReserve(1, MS);
    assertInstanceOf(Refusal.class, a.tryReserve(1, MS));
    assertEquals(-1, ((Refusal) a.tryReserve(1, MS)).windowEndsInNanos());
    one.settle(0);
    assertTrue(a.tryReserve(1, MS).admitted());
    two.settle(0);
    assertEquals(1, a.report(2 * MS).used(), "two started, one finished");
  }

  @Test
  void runningLowFollowsDemand() {
    Allowance a = leased(1_000);
    a.report(0);
    ((Reservation) a.tryReserve(900, 500 * MS)).settle(900);
    a.report(1_000 * MS); // 900 per second
    assertTrue(a.runningLow(Duration.ofSeconds(1)), "100 left, 900 expected within a second");
  }

  /**
   * Many threads reserve and settle (refunds, exact use, overdraws) while a renewer applies new
   * grants: admitted reservations held at once never exceed what was granted, and the use reported
   * adds up to the use settled.
   */
  @Test
  void manyThreadsNeverExceedTheAllowance() throws Exception {
    Allowance a = allowance();
    long limit = 10_000;
    a.apply(a.report(0), grant(60_000, 3_600_000, limit, 0));
    int threads = 8;
    int perThread = 200_000;
    AtomicLong settledUse = new AtomicLong();
    AtomicLong violations = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  long amount = 1 + random.nextInt(50);
                  Decision d = a.tryReserve(amount, MS);
                  if (d instanceof Reservation r) {
                    // Reservations never settle above their amount here, so spent stays <= granted.
                    if (a.spent() > limit) {
                      violations.incrementAndGet();
                    }
                    long actual = random.nextLong(amount + 1);
                    settledUse.addAndGet(actual);
                    r.settle(actual);
                  }
                }
              });
      workers.add(worker);
      worker.start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertEquals(0, violations.get(), "spent exceeded the allowance while reservations were held");
    assertEquals(settledUse.get(), a.spent());
    assertEquals(settledUse.get(), a.report(2 * MS).used());
    assertTrue(a.spent() <= limit);
  }

  /**
   * Same, with the allowance shrinking and growing under the threads' feet: every admission fits
   * the grant it was decided against. What was admitted between a renewal's send and its arrival
   * fits the older grant; after the new one applies, the instance admits only within it.
   */
  @Test
  void renewalsRacingReservationsNeverAdmitBeyondTheGrant() throws Exception {
    Allowance a = allowance();
    a.apply(a.report(0), grant(60_000, 3_600_000, 1_000, 0));
    int threads = 4;
    CountDownLatch done = new CountDownLatch(threads);
    AtomicLong violations = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker =
          new Thread(
              () -> {
                for (int i = 0; i < 100_000; i++) {
                  if (a.tryReserve(10, MS) instanceof Reservation r) {
                    r.settle(10);
                  }
                }
                done.countDown();
              });
      workers.add(worker);
      worker.start();
    }
    long nanos = 2 * MS;
    while (done.getCount() > 0) {
      long before = a.granted();
      Allowance.Report report = a.report(nanos++);
      long granted = 200 + ThreadLocalRandom.current().nextLong(1_000);
      a.apply(report, grant(60_000, 3_600_000, granted, 0));
      long sinceSend = a.spent() - report.spentMark();
      if (sinceSend > Math.max(before - report.spentMark(), granted)) {
        violations.incrementAndGet();
      }
      long after = a.spent();
      if (after > Math.max(before, a.granted())) {
        violations.incrementAndGet();
      }
    }
    for (Thread worker : workers) {
      worker.join();
    }
    assertEquals(0, violations.get());
  }
}
