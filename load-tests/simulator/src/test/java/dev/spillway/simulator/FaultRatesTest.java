package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultRatesTest {

  @Test
  void faultsTakeConsecutiveSlicesInDeclarationOrder() {
    FaultRates rates = new FaultRates(Map.of(Fault.RESET, 0.25, Fault.UNAVAILABLE, 0.125));

    assertEquals(Fault.UNAVAILABLE, rates.pick(0.0));
    assertEquals(Fault.UNAVAILABLE, rates.pick(0.124));
    assertEquals(Fault.RESET, rates.pick(0.125));
    assertEquals(Fault.RESET, rates.pick(0.374));
    assertEquals(Fault.NONE, rates.pick(0.375));
    assertEquals(Fault.NONE, FaultRates.NONE.pick(0.0));
  }

  @Test
  void impossibleRatesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new FaultRates(Map.of(Fault.RESET, 1.5)));
    assertThrows(IllegalArgumentException.class, () -> new FaultRates(Map.of(Fault.RESET, -0.1)));
    assertThrows(IllegalArgumentException.class, () -> new FaultRates(Map.of(Fault.NONE, 0.1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FaultRates(Map.of(Fault.RESET, 0.6, Fault.EMPTY, 0.6)));
  }

  @Test
  void wireNamesRoundTrip() {
    for (Fault fault : Fault.values()) {
      assertEquals(fault, Fault.fromWireName(fault.wireName().toUpperCase()).orElseThrow());
    }
  }
}
