package dev.spillway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTest {

  @Test
  void costIsInputPlusOutputPerMillion() {
    Price price = Price.perMillion(0.15, 0.60);
    // 1000 * 0.15 / 1e6 + 500 * 0.60 / 1e6 = 0.00015 + 0.0003
    assertEquals(new BigDecimal("0.00045000"), price.cost(TokenUsage.reported(1000, 500)));
  }

  @Test
  void tinyCostsKeepEightDecimalsRoundedHalfUp() {
    Price price = Price.perMillion(0.15, 0.60);
    assertEquals(new BigDecimal("0.00000015"), price.cost(TokenUsage.reported(1, 0)));
    assertEquals(
        new BigDecimal("0.00000008"), Price.perMillion(0.075, 0).cost(TokenUsage.reported(1, 0)));
  }

  @Test
  void freeCostsNothingAndNegativesAreRefused() {
    assertEquals(0, Price.FREE.cost(TokenUsage.reported(10, 10)).signum());
    assertThrows(IllegalArgumentException.class, () -> Price.perMillion(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> TokenUsage.reported(-1, 0));
  }
}
