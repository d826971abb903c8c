package dev.spillway.simulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probabilities with which a completion request that names no fault of its own gets one.
 *
 * <p>Immutable and thread-safe. Rates are in [0, 1] and add up to at most 1; the rest is the
 * probability of normal behaviour.
 *
 * @param rates probability per fault; {@link Fault#NONE} is not allowed as a key
 */
public record FaultRates(Map<Fault, Double> rates) {

  /** No faults at all. */
  public static final FaultRates NONE = new FaultRates(Map.of());

  public FaultRates {
    EnumMap<Fault, Double> copy = new EnumMap<>(Fault.class);
    double sum = 0;
    for (Map.Entry<Fault, Double> entry : rates.entrySet()) {
      Fault fault = entry.getKey();
      double rate = entry.getValue();
      if (fault == Fault.NONE) {
        throw new IllegalArgumentException("'none' is not a fault rate key");
      }
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(
            "rate for '" + fault.wireName() + "' must be in [0, 1], was " + rate);
      }
      if (rate > 0) {
        copy.put(fault, rate);
      }
      sum += rate;
    }
    if (sum > 1 + 1e-9) {
      throw new IllegalArgumentException("fault rates add up to " + sum + ", more than 1");
    }
    rates = Collections.unmodifiableMap(copy);
  }

  /**
   * Picks the fault for a uniform draw {@code u} in [0, 1): faults take consecutive slices of the
   * unit interval in declaration order, so the same draw always picks the same fault.
   */
  public Fault pick(double u) {
    double upper = 0;
    for (Map.Entry<Fault, Double> entry : rates.entrySet()) {
      upper += entry.getValue();
      if (u < upper) {
        return entry.getKey();
      }
    }
    return Fault.NONE;
  }

  /** Whether no fault has a positive rate. */
  public boolean isEmpty() {
    return rates.isEmpty();
  }

  /** Rates keyed by wire name, as the admin API shows them. */
  public Map<String, Double> byWireName() {
    Map<String, Double> named = new LinkedHashMap<>();
    rates.forEach((fault, rate) -> named.put(fault.wireName(), rate));
    return named;
  }
}
