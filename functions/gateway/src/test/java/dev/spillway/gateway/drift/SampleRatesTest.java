package dev.spillway.gateway.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleRatesTest {

  @Test
  void theMostSpecificRateWins() {
    SampleRates rates =
        SampleRates.of(
            0.1,
            Map.of(
                "acme/*", 0.5,
                "acme/search", 1.0,
                "acme/batch", 0.0,
                "beta/search", 0.3));
    assertEquals(1.0, rates.rateFor("acme", "search"), "tenant/feature beats tenant/*");
    assertEquals(0.0, rates.rateFor("acme", "batch"), "an exact 0 turns a feature off");
    assertEquals(0.5, rates.rateFor("acme", "chat"), "tenant/* covers the other features");
    assertEquals(0.3, rates.rateFor("beta", "search"));
    assertEquals(0.1, rates.rateFor("beta", "chat"), "no tenant/*: the default");
    assertEquals(0.1, rates.rateFor("globex", "search"), "no override: the default");
    assertEquals(0.1, rates.rateFor("search", "acme"), "tenant and feature are not swapped");
  }

  @Test
  void samplesAnythingOnlyWhenSomeRateIsPositive() {
    assertFalse(SampleRates.none().samplesAnything());
    assertFalse(SampleRates.of(0, Map.of("acme/*", 0.0)).samplesAnything());
    assertTrue(SampleRates.of(0, Map.of("acme/search", 0.01)).samplesAnything());
    assertTrue(SampleRates.of(0.2, Map.of()).samplesAnything());
    assertEquals(0.0, SampleRates.none().rateFor("acme", "search"));
  }

  @Test
  void ratesOutsideZeroToOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> SampleRates.of(1.5, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> SampleRates.of(-0.1, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> SampleRates.of(Double.NaN, Map.of()));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SampleRates.of(0, Map.of("acme/*", 2.0)));
    assertTrue(e.getMessage().contains("acme/*"), e.getMessage());
    // The bounds themselves are valid.
    SampleRates.of(0, Map.of("acme/*", 1.0));
    SampleRates.of(1, Map.of("acme/*", 0.0));
  }

  @Test
  void scopesAreTenantSlashFeatureOrTenantSlashStar() {
    assertTrue(SampleRates.isValidScope("acme/search"));
    assertTrue(SampleRates.isValidScope("acme/*"));
    for (String bad : new String[] {"acme", "/search", "acme/", "*/search", "a/b/c", "*/*", ""}) {
      assertFalse(SampleRates.isValidScope(bad), bad);
      assertThrows(IllegalArgumentException.class, () -> SampleRates.of(0, Map.of(bad, 0.5)), bad);
    }
  }
}
