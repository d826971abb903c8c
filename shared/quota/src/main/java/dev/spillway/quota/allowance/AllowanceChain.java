package dev.spillway.quota.allowance;

/**
 * Reserves on every budget a request counts against, all or nothing: the admission decision of one
 * request (its feature's, its tenant's and every ancestor's budgets; or a provider account's).
 *
 * <p>Stateless; thread-safe as {@link Allowance} is. Allocation: one array and one {@link
 * Reservation} per budget for an admitted request.
 */
public final class AllowanceChain {

  private AllowanceChain() {}

  /** What {@link #tryReserve} decided. */
  public sealed interface Outcome permits Held, Refused {}

  /**
   * Every budget admitted; the caller must {@link #settle(long[])} or {@link #release()} exactly
   * once.
   *
   * @param reservations one per budget, in the order the budgets were given
   */
  public record Held(Reservation[] reservations) implements Outcome {

    /** Settles each reservation with its real use ({@code actual[i]} for budget {@code i}). */
    public void settle(long[] actual) {
      for (int i = 0; i < reservations.length; i++) {
        reservations[i].settle(actual[i]);
      }
    }

    /** Gives everything back. */
    public void release() {
      for (Reservation reservation : reservations) {
        reservation.release();
      }
    }
  }

  /**
   * A budget refused: nothing is held (what the earlier budgets had reserved is released).
   *
   * @param index which budget refused
   * @param refusal why, and what it had left
   */
  public record Refused(int index, Refusal refusal) implements Outcome {}

  /**
   * Reserves {@code amounts[i]} on {@code allowances[i]} for every {@code i}, or nothing.
   *
   * @param nowNanos the monotonic clock, read once for the whole chain
   */
  public static Outcome tryReserve(Allowance[] allowances, long[] amounts, long nowNanos) {
    Reservation[] held = new Reservation[allowances.length];
    for (int i = 0; i < allowances.length; i++) {
      Decision decision = allowances[i].tryReserve(amounts[i], nowNanos);
      if (decision instanceof Reservation reservation) {
        held[i] = reservation;
      } else {
        for (int j = 0; j < i; j++) {
          held[j].release();
        }
        return new Refused(i, (Refusal) decision);
      }
    }
    return new Held(held);
  }
}
