package dev.spillway.quota.allocation;

/**
 * Weighted max-min fair division of a capacity ("water-filling"): nobody gets more than it asks
 * for, and what a modest claimant leaves is divided among the others in proportion to their
 * weights, until the capacity or the demand runs out. Stateless and thread-safe.
 */
public final class FairShare {

  private FairShare() {}

  /**
   * Divides {@code capacity} among claimants.
   *
   * @param capacity what there is to divide; negative counts as 0
   * @param demands what each claimant asks for; negative counts as 0
   * @param weights each claimant's weight, positive (a non-positive weight counts as 1)
   * @return each claimant's share, in the input order: {@code share[i] <= demands[i]} and {@code
   *     sum(share) <= capacity}; whole units, rounded down, with the leftover units of the last
   *     round going to the largest unsatisfied claimants first so that nothing divisible is lost
   * @throws IllegalArgumentException when the arrays differ in length
   */
  public static long[] allocate(long capacity, long[] demands, long[] weights) {
    int n = demands.length;
    if (weights.length != n) {
      throw new IllegalArgumentException("demands and weights differ in length");
    }
    long[] share = new long[n];
    boolean[] satisfied = new boolean[n];
    long left = Math.max(0, capacity);
    int active = 0;
    for (int i = 0; i < n; i++) {
      if (demands[i] <= 0) {
        satisfied[i] = true;
      } else {
        active++;
      }
    }
    // Each round either satisfies at least one claimant or spends the whole capacity, so the loop
    // runs at most n + 1 times.
    while (left > 0 && active > 0) {
      double weightSum = 0;
      for (int i = 0; i < n; i++) {
        if (!satisfied[i]) {
          weightSum += weight(weights[i]);
        }
      }
      double perWeight = left / weightSum;
      boolean anySatisfied = false;
      for (int i = 0; i < n; i++) {
        if (!satisfied[i] && demands[i] - share[i] <= perWeight * weight(weights[i])) {
          left -= demands[i] - share[i];
          share[i] = demands[i];
          satisfied[i] = true;
          active--;
          anySatisfied = true;
        }
      }
      if (anySatisfied) {
        continue;
      }
      // Nobody is satisfied by an equal-per-weight split: give everyone its proportional part.
      long given = 0;
      for (int i = 0; i < n; i++) {
        if (!satisfied[i]) {
          long part = (long) Math.floor(perWeight * weight(weights[i]));
          part = Math.min(part, demands[i] - share[i]);
          share[i] += part;
          given += part;
        }
      }
      left -= given;
      // Whole units that rounding left over go one each to the unsatisfied claimants, in order.
      for (int i = 0; i < n && left > 0; i++) {
        if (!satisfied[i] && share[i] < demands[i]) {
          share[i]++;
          left--;
        }
      }
      break;
    }
    return share;
  }

  private static double weight(long w) {
    return w <= 0 ? 1 : w;
  }
}
