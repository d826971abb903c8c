package dev.spillway.quota.allowance;

/**
 * An amount taken from an {@link Allowance}, which the caller must end exactly once: {@link
 * #settle(long)} with the real use (the difference is refunded or charged), or {@link #release()}
 * when the work it stood for never happened.
 *
 * <p>Not guarded against a second call: whoever holds it owns that guarantee (the gateway's request
 * ticket settles each reservation once, whatever happens to the request), which keeps the hot path
 * free of a second atomic.
 */
public final class Reservation implements Decision {

  private final Allowance allowance;
  private final long amount;
  private final Allowance.Slot slot;

  Reservation(Allowance allowance, long amount, Allowance.Slot slot) {
    this.allowance = allowance;
    this.amount = amount;
    this.slot = slot;
  }

  /** What was reserved. */
  public long amount() {
    return amount;
  }

  /** The allowance it was taken from. */
  public Allowance allowance() {
    return allowance;
  }

  /**
   * Ends the reservation with what was really used: {@code actual < amount} refunds the difference
   * to the allowance, {@code actual > amount} charges it (and may overdraw the allowance: the use
   * happened; the next renewal reports it).
   */
  public void settle(long actual) {
    allowance.settle(this, actual);
  }

  /** Gives the whole amount back: the work never happened (a rolled back admission). */
  public void release() {
    allowance.settle(this, 0);
  }

  /** The window it was admitted in; null when the budget was unknown (nothing counts it). */
  Allowance.Slot slot() {
    return slot;
  }

  @Override
  public String toString() {
    return "Reservation[" + amount + " of " + allowance.name() + "]";
  }
}
