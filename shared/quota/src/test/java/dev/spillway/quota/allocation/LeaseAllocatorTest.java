package dev.spillway.quota.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.allocation.LeaseAllocator.Decision;
import dev.spillway.quota.allocation.LeaseAllocator.Lease;
import dev.spillway.quota.allocation.LeaseAllocator.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaseAllocatorTest {

  private static Lease lease(String instance, long allowance, long want) {
    return new Lease(instance, "", 1, null, allowance, want);
  }

  @Test
  void aLoneInstanceGetsWhatItWantsUpToTheLimitLessUse() {
    Decision d =
        LeaseAllocator.allocate(new Window(1000, 300, 0, 0), List.of(), lease("a", 0, 5000));
    assertEquals(700, d.allowance());
    assertEquals(0, d.remaining());
  }

  @Test
  void growsOnlyFromWhatNobodyHolds() {
    // b holds 800 of 1000 and wants it all; a's fair share is 500 but only 200 are free.
    Decision d =
        LeaseAllocator.allocate(
            new Window(1000, 0, 0, 0), List.of(lease("b", 800, 1000)), lease("a", 0, 1000));
    assertEquals(200, d.allowance());
  }

  @Test
  void shrinksAnInstanceHoldingMoreThanItsShare() {
    // b holds 800 but a now wants 1000 too: b's next renewal shrinks it to its share of 500.
    Decision d =
        LeaseAllocator.allocate(
            new Window(1000, 0, 0, 0), List.of(lease("a", 200, 1000)), lease("b", 800, 1000));
    assertEquals(500, d.allowance());
    // b may admit its old 800 until the answer arrives: the 300 stay held until its next claim.
    assertEquals(800, d.held());
    assertEquals(0, d.remaining());
    // That claim reports nothing used: b may still admit 500 on the shrunk grant; 300 are free.
    d =
        LeaseAllocator.allocate(
            new Window(1000, 0, 0, 0), List.of(lease("a", 200, 1000)), lease("b", 500, 1000));
    assertEquals(500, d.allowance());
    assertEquals(500, d.held());
    assertEquals(300, d.remaining());
  }

  @Test
  void aStandardTierIsToldTheRemainingItCanUseNotTheInteractiveReserve() {
    // 1,000 per window, 30 % reserved for interactive: standard traffic has used its 700.
    Lease standard = new Lease("a", "t1", 1, "standard", 0, 500);
    Decision d = LeaseAllocator.allocate(new Window(1_000, 700, 700, 0.3), List.of(), standard);
    assertEquals(0, d.allowance());
    assertEquals(0, d.remaining(), "the 300 left are the reserve: waiting will not help");
    Lease interactive = new Lease("a", "t1", 1, "interactive", 0, 500);
    d = LeaseAllocator.allocate(new Window(1_000, 700, 700, 0.3), List.of(), interactive);
    assertEquals(300, d.allowance());
  }

  @Test
  void aFairShareBelowOneRequestIsMadeWholeFromUnheldHeadroom() {
    // 6,000 left; four instances want 4,000-token requests: an equal split (1,500 each) would
    // admit nothing anywhere.
    List<Lease> others =
        List.of(lease("b", 0, 40_000), lease("c", 0, 40_000), lease("d", 0, 40_000));
    Window window = new Window(40_000, 34_000, 0, 0);
    Decision d = LeaseAllocator.allocate(window, others, lease("a", 0, 40_000), 4_000);
    assertEquals(4_000, d.allowance(), "one whole request, from headroom nobody holds");
    // b comes next: 2,000 are left, less than one request, and others want more: nothing.
    List<Lease> afterA =
        List.of(lease("a", 4_000, 40_000), lease("c", 0, 40_000), lease("d", 0, 40_000));
    d = LeaseAllocator.allocate(window, afterA, lease("b", 0, 40_000), 4_000);
    assertEquals(0, d.allowance());
    // Without units, the same claims strand the budget in slivers.
    assertEquals(1_500, LeaseAllocator.allocate(window, others, lease("a", 0, 40_000)).allowance());
  }

  @Test
  void aSliverHeldByEveryInstanceIsGivenBackSoThatItAddsUpToARequest() {
    // Each of four instances holds 3,900 of the last 15,600: none can admit a 4,000-token request.
    Window window = new Window(40_000, 24_400, 0, 0);
    List<Lease> others =
        List.of(lease("b", 3_900, 40_000), lease("c", 3_900, 40_000), lease("d", 3_900, 40_000));
    Decision d = LeaseAllocator.allocate(window, others, lease("a", 3_900, 40_000), 4_000);
    assertEquals(0, d.allowance(), "a's sliver goes back");
    assertEquals(3_900, d.held(), "held until a's next claim acknowledges it");
    // After a's next claim the 3,900 are free: b, still holding its own, gets a whole request.
    List<Lease> afterA =
        List.of(lease("a", 0, 40_000), lease("c", 3_900, 40_000), lease("d", 3_900, 40_000));
    d = LeaseAllocator.allocate(window, afterA, lease("b", 3_900, 40_000), 4_000);
    assertEquals(4_000, d.allowance());
    // A lone instance keeps a sliver: nobody else could use it.
    d =
        LeaseAllocator.allocate(
            new Window(40_000, 36_100, 0, 0), List.of(), lease("a", 0, 40_000), 4_000);
    assertEquals(3_900, d.allowance());
  }

  @Test
  void wantZeroReturnsEverything() {
    Decision d =
        LeaseAllocator.allocate(new Window(1000, 100, 0, 0), List.of(), lease("a", 900, 0));
    assertEquals(0, d.allowance());
    // Returned, but held until the instance's next claim acknowledges it.
    assertEquals(900, d.held());
    assertEquals(0, d.remaining());
    d = LeaseAllocator.allocate(new Window(1000, 100, 0, 0), List.of(), lease("a", 0, 0));
    assertEquals(0, d.held());
    assertEquals(900, d.remaining());
  }

  @Test
  void clientsShareByTenantWeightThenInstancesByWant() {
    // Account capacity 1200: tenant t1 (weight 1) and t2 (weight 2) both want all.
    Lease t1 = new Lease("i1", "t1", 1, "standard", 0, 1200);
    Lease t2a = new Lease("i1", "t2", 2, "standard", 0, 1200);
    Lease t2b = new Lease("i2", "t2", 2, "standard", 0, 1200);
    Window window = new Window(1200, 0, 0, 0);
    assertEquals(400, LeaseAllocator.allocate(window, List.of(t2a, t2b), t1).allowance());
    // t2's 800 split between its two instances.
    Decision d = LeaseAllocator.allocate(window, List.of(t1.withAllowance(400), t2b), t2a);
    assertEquals(400, d.allowance());
  }

  @Test
  void nonInteractiveTiersNeverTakeTheInteractiveReserve() {
    Window window = new Window(1000, 0, 0, 0.3);
    Lease batch = new Lease("i1", "batch-tenant", 1, "batch", 0, 10_000);
    assertEquals(700, LeaseAllocator.allocate(window, List.of(), batch).allowance());
    // The interactive tenant still gets the 300 nobody else may take.
    Lease interactive = new Lease("i2", "chat", 1, "interactive", 0, 300);
    assertEquals(
        300,
        LeaseAllocator.allocate(window, List.of(batch.withAllowance(700)), interactive)
            .allowance());
  }

  @Test
  void restrictedUseInTheWindowCountsAgainstTheNonReservedPart() {
    Window window = new Window(1000, 650, 650, 0.3);
    Lease standard = new Lease("i1", "t", 1, "standard", 0, 10_000);
    assertEquals(50, LeaseAllocator.allocate(window, List.of(), standard).allowance());
    Lease interactive = new Lease("i1", "u", 1, "interactive", 0, 10_000);
    assertEquals(350, LeaseAllocator.allocate(window, List.of(), interactive).allowance());
  }

  @Test
  void nonInteractiveTenantsShareTheNonReservedPoolByWeightAndInteractiveKeepsTheRest() {
    Window window = new Window(1000, 0, 0, 0.3);
    Lease chat = new Lease("g2", "chat", 1, "interactive", 300, 300);
    Lease light = new Lease("g1", "light", 1, "batch", 175, 5000);
    Lease heavy = new Lease("g1", "heavy", 3, "standard", 0, 5000);
    // 700 non-reserved: 175 and 525 by weight 1:3; the interactive tenant keeps its 300.
    assertEquals(525, LeaseAllocator.allocate(window, List.of(chat, light), heavy).allowance());
    assertEquals(
        175,
        LeaseAllocator.allocate(window, List.of(chat, heavy.withAllowance(525)), light)
            .allowance());
    assertEquals(
        300,
        LeaseAllocator.allocate(
                window, List.of(light, heavy.withAllowance(525)), chat.withAllowance(0))
            .allowance());
  }

  @Test
  void oneInstanceHoldsSeparateLeasesPerTier() {
    Window window = new Window(1000, 0, 0, 0.3);
    Lease batch = new Lease("g1", "acme", 1, "batch", 700, 5000);
    Lease interactive = new Lease("g1", "acme", 1, "interactive", 0, 5000);
    // Same instance and client, other tier: the batch lease still counts as held.
    assertEquals(300, LeaseAllocator.allocate(window, List.of(batch), interactive).allowance());
  }

  @Test
  void batchUsesWhatIsIdleOutsideTheReserve() {
    Window window = new Window(1000, 0, 0, 0.3);
    Lease interactive = new Lease("i1", "chat", 1, "interactive", 50, 50);
    Lease batch = new Lease("i2", "bulk", 1, "batch", 0, 10_000);
    assertEquals(700, LeaseAllocator.allocate(window, List.of(interactive), batch).allowance());
  }

  @Test
  void randomClaimSequencesNeverExceedTheLimit() {
    Random random = new Random(7);
    for (int run = 0; run < 2_000; run++) {
      long limit = 1 + random.nextInt(10_000);
      double reserve = random.nextBoolean() ? 0 : 0.3;
      int instances = 1 + random.nextInt(6);
      String[] tiers = {"interactive", "standard", "batch"};
      List<Lease> leases = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        leases.add(
            new Lease(
                "i" + i,
                "t" + random.nextInt(3),
                1 + random.nextInt(3),
                tiers[random.nextInt(3)],
                0,
                0));
      }
      long used = 0;
      long restrictedUsed = 0;
      for (int step = 0; step < 200; step++) {
        int k = random.nextInt(instances);
        Lease lease = leases.get(k);
        // Report some use within what the instance holds (a refund now and then).
        long spent =
            lease.allowance() == 0
                ? 0
                : random.nextInt(10) == 0
                    ? -random.nextInt((int) Math.min(used, 50) + 1)
                    : random.nextLong(lease.allowance() + 1);
        used += spent;
        if (lease.reserveRestricted()) {
          restrictedUsed += spent;
        }
        long allowance = Math.max(0, lease.allowance() - spent);
        long want = random.nextInt(4) == 0 ? 0 : random.nextInt((int) limit * 2);
        Lease claimant =
            new Lease(
                lease.instance(), lease.client(), lease.weight(), lease.tier(), allowance, want);
        List<Lease> others = new ArrayList<>(leases);
        others.remove(k);
        Decision d =
            LeaseAllocator.allocate(
                new Window(limit, used, restrictedUsed, reserve), others, claimant);
        leases.set(k, claimant.withAllowance(d.allowance()));
        long held = leases.stream().mapToLong(Lease::allowance).sum();
        assertTrue(used + held <= limit, "used " + used + " + held " + held + " > limit " + limit);
        assertTrue(d.allowance() <= Math.max(0, want));
        if (reserve > 0) {
          long restrictedHeld =
              leases.stream().filter(Lease::reserveRestricted).mapToLong(Lease::allowance).sum();
          assertTrue(restrictedUsed + restrictedHeld <= (long) Math.floor(0.7 * limit));
        }
      }
    }
  }
}
