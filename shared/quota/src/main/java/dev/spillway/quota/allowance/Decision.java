package dev.spillway.quota.allowance;

/**
 * What {@link Allowance#tryReserve(long)} decided: a {@link Reservation} the caller must settle or
 * release, or a {@link Refusal} saying why and what is left.
 */
public sealed interface Decision permits Reservation, Refusal {

  /** True for a {@link Reservation}. */
  default boolean admitted() {
    return this instanceof Reservation;
  }
}
