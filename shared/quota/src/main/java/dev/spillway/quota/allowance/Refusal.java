package dev.spillway.quota.allowance;

/**
 * Why an allowance did not admit a reservation, with what a 429 needs.
 *
 * @param reason why
 * @param requested the amount asked for
 * @param available what the instance's allowance still had (may be negative after an overdraw)
 * @param budgetRemaining the budget's unleased headroom at the last renewal, or -1 when unknown:
 *     when positive, a renewal may grant more, so the caller may renew and ask again
 * @param windowEndsInNanos time until the current window ends (local clock, measured from the last
 *     renewal's send time), or -1 when the budget has no window or none is known
 */
public record Refusal(
    Reason reason, long requested, long available, long budgetRemaining, long windowEndsInNanos)
    implements Decision {

  /** Why a reservation was refused. */
  public enum Reason {
    /** The allowance has less than was asked for. */
    NO_ROOM,
    /** The instance holds no lease for this budget yet: renew, then ask again. */
    NO_LEASE,
    /** The window the allowance was granted for has ended: it lapsed; renew, then ask again. */
    WINDOW_ENDED,
    /**
     * The lease's validity passed without a successful renewal: the quota function is unreachable
     * (or too slow), and the caller applies its unreachable policy.
     */
    EXPIRED
  }

  /** True when a renewal may change the answer (no lease, a window ended, or headroom is left). */
  public boolean renewalMayHelp() {
    return switch (reason) {
      case NO_LEASE, WINDOW_ENDED, EXPIRED -> true;
      case NO_ROOM -> budgetRemaining > 0;
    };
  }
}
