package dev.spillway.quota.allocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides one lease's new allowance in one budget window, Doorman-style: the arithmetic of {@code
 * docs/quota.md}, free of storage and clocks so that it can be tested exhaustively.
 *
 * <p>The caller serialises calls per (budget, window) (the quota function holds a row lock), feeds
 * the window's state after the claim's reported use was applied, and stores the result. Under that
 * discipline {@code used + sum(held) <= limit} holds after every call whenever it held before: an
 * allowance grows only from what nobody holds.
 *
 * <p><b>Held versus granted.</b> An instance keeps admitting against its old allowance while its
 * renewal is in flight, and only learns a smaller one when the answer arrives. So a shrink is not
 * given to others at once (Doorman's rule: capacity taken back is not handed out until the client
 * has acknowledged it): a lease counts as {@link Decision#held() held} {@code max(new allowance,
 * R)}, where {@code R} is what the instance could still admit on its previous grant (that grant
 * minus the use it just reported). Its next claim reports what it admitted meanwhile, which is at
 * most that held amount, and {@code R} is recomputed from the grant this call returned.
 *
 * <p>Steps: capacity = {@code limit - used}; weighted max-min fair share of it among clients (by
 * the clients' weights, over their instances' summed wants); the client's share divided max-min
 * among its instances by want; target = {@code min(want, share)}; the new allowance is the target,
 * capped by the headroom nobody else holds ({@code limit - used - others' held amounts}). For
 * budgets with a reserve (provider accounts), the non-interactive tiers together are also capped at
 * {@code floor((1 - reserve) * limit)} minus their own use and allowances in the window.
 *
 * <p><b>Units.</b> A claim may name the smallest allowance worth holding, about one request ({@code
 * unit}). A fair share below it admits nothing, and four instances each holding such a sliver can
 * strand most of a window. So an allowance below the unit becomes a whole unit when the headroom
 * nobody holds has one (the claimant then exceeds its fair share by less than one request), and
 * otherwise nothing when others want more, so that the sliver returns to the pool where it can add
 * up to a request for someone.
 *
 * <p>Stateless and thread-safe.
 */
public final class LeaseAllocator {

  /** The tier that may use a budget's reserved share. */
  public static final String INTERACTIVE = "interactive";

  /**
   * One live lease in the window.
   *
   * @param instance the gateway instance holding it
   * @param client the client inside the instance ({@code ""} for tenant budgets)
   * @param weight the client's weight (the tenant's weight for account budgets; 1 otherwise)
   * @param tier the priority tier, or null (an instance holds one lease per client and tier)
   * @param allowance for another lease: what it {@linkplain Decision#held() holds} (what others
   *     must not use); for the claimant: what it may still admit on its previous grant, that grant
   *     minus the use it just reported, not negative ({@code R}; 0 when new)
   * @param want what it asked for at its last claim
   */
  public record Lease(
      String instance, String client, long weight, String tier, long allowance, long want) {

    /** The same lease holding {@code newAllowance}. */
    public Lease withAllowance(long newAllowance) {
      return new Lease(instance, client, weight, tier, newAllowance, want);
    }

    /** Same instance, client and tier: one lease. */
    boolean sameHolder(Lease other) {
      return instance.equals(other.instance)
          && client.equals(other.client)
          && java.util.Objects.equals(tier, other.tier);
    }

    boolean reserveRestricted() {
      return tier != null && !INTERACTIVE.equals(tier);
    }
  }

  /**
   * The window's state.
   *
   * @param limit the budget's limit in this window
   * @param used the use recorded in this window
   * @param restrictedUsed the part of {@code used} by tiers that may not touch the reserve
   * @param reserve the reserved fraction for the interactive tier, 0 to 1 (0: no reserve)
   */
  public record Window(long limit, long used, long restrictedUsed, double reserve) {}

  /**
   * The outcome for the claiming lease.
   *
   * @param allowance its new allowance, the grant answered to the instance
   * @param held what others must consider it holding until its next claim: {@code max(allowance,
   *     R)}, {@code R} being the claimant's {@link Lease#allowance()} (what it may admit on its old
   *     grant while this answer is in flight)
   * @param remaining what nobody holds or used after it: {@code limit - used - all held}, never
   *     negative; for a tier kept out of a reserve, also no more than what that tier could still be
   *     granted (so an instance told 0 knows that waiting for a renewal will not help)
   */
  public record Decision(long allowance, long held, long remaining) {}

  private LeaseAllocator() {}

  /**
   * The claiming lease's new allowance.
   *
   * @param window the window's limit and use
   * @param others the other live leases of the window (not the claimant)
   * @param claimant the claiming lease with what it may still admit on its previous grant ({@code
   *     R}; 0 when new) and its new want
   */
  public static Decision allocate(Window window, List<Lease> others, Lease claimant) {
    return allocate(window, others, claimant, 0);
  }

  /**
   * The claiming lease's new allowance, in whole {@code unit}s where a fair share falls short of
   * one.
   *
   * @param unit the smallest allowance worth holding (about one request); 0: any amount
   */
  public static Decision allocate(Window window, List<Lease> others, Lease claimant, long unit) {
    long limit = window.limit();
    long capacity = Math.max(0, limit - window.used());
    boolean reserved = window.reserve() > 0;
    long restrictedPool = reserved ? (long) Math.floor((1 - window.reserve()) * limit) : limit;

    List<Lease> all = new ArrayList<>();
    long othersHeld = 0;
    long othersRestricted = 0;
    for (Lease lease : others) {
      if (lease.sameHolder(claimant)) {
        continue;
      }
      all.add(lease);
      othersHeld += lease.allowance();
      if (lease.reserveRestricted()) {
        othersRestricted += lease.allowance();
      }
    }
    all.add(claimant);

    // Per client: {interactive want, restricted want, weight}.
    Map<String, long[]> clients = new LinkedHashMap<>();
    for (Lease lease : all) {
      long[] c = clients.computeIfAbsent(lease.client(), k -> new long[3]);
      c[reserved && lease.reserveRestricted() ? 1 : 0] += Math.max(0, lease.want());
      c[2] = Math.max(1, lease.weight());
    }
    List<String> names = new ArrayList<>(clients.keySet());
    int n = names.size();
    long[] weights = new long[n];
    long[] restrictedWants = new long[n];
    for (int i = 0; i < n; i++) {
      long[] c = clients.get(names.get(i));
      weights[i] = c[2];
      restrictedWants[i] = c[1];
    }
    // The non-interactive tiers share the non-reserved pool among themselves by weight; what a
    // client can get there bounds its non-interactive demand in the division of the whole.
    long restrictedCapacity =
        Math.max(0, Math.min(capacity, restrictedPool - window.restrictedUsed()));
    long[] restrictedShares = FairShare.allocate(restrictedCapacity, restrictedWants, weights);
    long[] demands = new long[n];
    for (int i = 0; i < n; i++) {
      demands[i] = clients.get(names.get(i))[0] + Math.min(restrictedWants[i], restrictedShares[i]);
    }
    int own = names.indexOf(claimant.client());
    long clientShare = FairShare.allocate(capacity, demands, weights)[own];

    // Level 2: the client's share among its instances, by want; non-interactive leases also divide
    // the client's non-interactive share.
    List<Lease> sameClient = new ArrayList<>();
    List<Lease> sameClientRestricted = new ArrayList<>();
    for (Lease lease : all) {
      if (lease.client().equals(claimant.client())) {
        sameClient.add(lease);
        if (reserved && lease.reserveRestricted()) {
          sameClientRestricted.add(lease);
        }
      }
    }
    long share = shareOf(clientShare, sameClient, claimant);
    if (reserved && claimant.reserveRestricted()) {
      share =
          Math.min(
              share,
              shareOf(
                  Math.min(clientShare, restrictedShares[own]), sameClientRestricted, claimant));
    }

    long target = Math.min(Math.max(0, claimant.want()), share);
    boolean restrictedClaim = reserved && claimant.reserveRestricted();
    long room = limit - window.used() - othersHeld;
    long restrictedRoom = restrictedPool - window.restrictedUsed() - othersRestricted;
    if (restrictedClaim) {
      room = Math.min(room, restrictedRoom);
    }
    long allowance = Math.max(0, Math.min(target, room));
    if (unit > 0 && allowance < unit && claimant.want() > 0) {
      if (room >= unit) {
        allowance = unit;
      } else if (othersWant(all, claimant)) {
        allowance = 0;
      }
    }
    // Until the claimant's next claim, it may still admit R on its old grant: a shrink below R is
    // kept held, not handed to others.
    long held = Math.max(allowance, Math.max(0, claimant.allowance()));
    long remaining = Math.max(0, limit - window.used() - othersHeld - held);
    if (restrictedClaim) {
      // What this tier could still be granted: the reserve is not for it.
      remaining = Math.min(remaining, Math.max(0, restrictedRoom - held));
    }
    return new Decision(allowance, held, remaining);
  }

  private static boolean othersWant(List<Lease> all, Lease claimant) {
    for (Lease lease : all) {
      if (lease != claimant && lease.want() > 0) {
        return true;
      }
    }
    return false;
  }

  /** The claimant's part of {@code total} divided max-min among {@code leases} by want. */
  private static long shareOf(long total, List<Lease> leases, Lease claimant) {
    long[] wants = new long[leases.size()];
    long[] ones = new long[leases.size()];
    int index = 0;
    for (int k = 0; k < leases.size(); k++) {
      wants[k] = Math.max(0, leases.get(k).want());
      ones[k] = 1;
      if (leases.get(k) == claimant) {
        index = k;
      }
    }
    return FairShare.allocate(total, wants, ones)[index];
  }
}
