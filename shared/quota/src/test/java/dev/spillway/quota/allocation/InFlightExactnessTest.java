package dev.spillway.quota.allocation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.allocation.LeaseAllocator.Decision;
import dev.spillway.quota.allocation.LeaseAllocator.Lease;
import dev.spillway.quota.allocation.LeaseAllocator.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exactness with renewals in flight: a property test that simulates gateway instances the way
 * {@code dev.spillway.quota.allowance.Allowance} behaves (admit while {@code spent + amount <=
 * granted}; a renewal reports the use since the last one and, on its answer, sets {@code granted =
 * use at send time + allowance}, so during the round trip the instance still admits against its old
 * grant) and a quota function the way {@code LeaseService} stores leases (the last grant and the
 * held amount per lease). Random sequences of admissions, refunds, claims (shrinks among them),
 * delayed answers and expiries; the use the instances really admitted never exceeds the limit.
 */
class InFlightExactnessTest {

  /** One gateway instance's allowance and the quota function's row for its lease. */
  private static final class Instance {
    final String name;
    final String client;
    final long weight;
    final String tier;
    // Gateway side (as Allowance).
    long spent;
    long granted;
    long reportedSpent;
    boolean inFlight;
    long sentMark;
    long answer;
    boolean alive = true;
    // Quota-function side (the lease row).
    boolean leased;
    long grant;
    long held;
    long want;

    Instance(String name, String client, long weight, String tier) {
      this.name = name;
      this.client = client;
      this.weight = weight;
      this.tier = tier;
    }

    boolean restricted() {
      return tier != null && !LeaseAllocator.INTERACTIVE.equals(tier);
    }
  }

  @Test
  void instancesAdmittingWhileTheirRenewalIsInFlightNeverExceedTheLimit() {
    Random random = new Random(11);
    String[] tiers = {"interactive", "standard", "batch"};
    for (int run = 0; run < 3_000; run++) {
      long limit = 1 + random.nextInt(5_000);
      double reserve = random.nextInt(3) == 0 ? 0.3 : 0;
      long restrictedPool = reserve > 0 ? (long) Math.floor((1 - reserve) * limit) : limit;
      List<Instance> instances = new ArrayList<>();
      int n = 2 + random.nextInt(4);
      for (int i = 0; i < n; i++) {
        instances.add(
            reserve > 0
                ? new Instance(
                    "i" + i,
                    "t" + random.nextInt(2),
                    1 + random.nextInt(3),
                    tiers[random.nextInt(3)])
                : new Instance("i" + i, "", 1, null));
      }
      long used = 0;
      long restrictedUsed = 0;
      for (int step = 0; step < 300; step++) {
        Instance me = instances.get(random.nextInt(n));
        int event = random.nextInt(10);
        if (event < 4) {
          // Admit up to what the local view allows (the old grant while a renewal is in flight).
          long room = me.alive ? me.granted - me.spent : 0;
          if (room > 0) {
            me.spent += random.nextInt(3) == 0 ? room : 1 + random.nextLong(room);
          }
        } else if (event == 4) {
          // A request used less than it reserved: a refund.
          if (me.alive && me.spent - me.reportedSpent > 0 && random.nextBoolean()) {
            me.spent -= 1 + random.nextLong(me.spent - me.reportedSpent);
          }
        } else if (event < 8) {
          if (!me.alive && random.nextInt(4) != 0) {
            continue;
          }
          if (me.inFlight) {
            // The answer arrives: the grant counts from the use at send time.
            me.granted = me.sentMark + me.answer;
            me.reportedSpent = me.sentMark;
            me.inFlight = false;
            continue;
          }
          // Send a claim, decided at once by the quota function; its answer comes later.
          me.alive = true;
          long report = me.spent - me.reportedSpent;
          long want = random.nextInt(5) == 0 ? 0 : random.nextLong(limit * 2);
          used += report;
          if (me.restricted()) {
            restrictedUsed += report;
          }
          List<Lease> others = new ArrayList<>();
          for (Instance other : instances) {
            if (other != me && other.leased) {
              others.add(
                  new Lease(
                      other.name, other.client, other.weight, other.tier, other.held, other.want));
            }
          }
          long mayStillAdmit = me.leased ? Math.max(0, me.grant - report) : 0;
          Lease claimant = new Lease(me.name, me.client, me.weight, me.tier, mayStillAdmit, want);
          Decision d =
              LeaseAllocator.allocate(
                  new Window(limit, used, restrictedUsed, reserve), others, claimant);
          assertTrue(d.allowance() <= want, "granted more than wanted");
          me.leased = true;
          me.grant = d.allowance();
          me.held = d.held();
          me.want = want;
          me.inFlight = true;
          me.sentMark = me.spent;
          me.answer = d.allowance();
        } else if (event == 8) {
          // The instance stops (crashes or goes idle) with its use reported and acknowledged; its
          // lease expires: the validity ends for the instance before it does for the quota
          // function.
          if (me.alive && !me.inFlight && me.spent == me.reportedSpent) {
            me.alive = false;
            me.leased = false;
            me.granted = me.spent;
          }
        }
        long admitted = 0;
        long restrictedAdmitted = 0;
        long held = 0;
        for (Instance i : instances) {
          admitted += i.spent;
          restrictedAdmitted += i.restricted() ? i.spent : 0;
          held += i.leased ? i.held : 0;
        }
        String state = "run " + run + " step " + step + ": limit " + limit;
        assertTrue(admitted <= limit, state + ", admitted " + admitted);
        assertTrue(used + held <= limit, state + ", used " + used + " + held " + held);
        assertTrue(
            restrictedAdmitted <= restrictedPool,
            state + ", non-interactive admitted " + restrictedAdmitted + " > " + restrictedPool);
      }
    }
  }
}
