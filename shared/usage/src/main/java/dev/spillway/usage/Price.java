package dev.spillway.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What one upstream model charges, in US dollars per million tokens.
 *
 * <p>Money is kept in {@link BigDecimal}: costs are summed per tenant over months, and binary
 * floating point would drift at the sixth decimal where per-request costs live.
 *
 * @param inputUsdPerMillion price of a million prompt tokens
 * @param outputUsdPerMillion price of a million completion tokens
 */
public record Price(BigDecimal inputUsdPerMillion, BigDecimal outputUsdPerMillion) {

  /** Cost figures keep this many decimals: a millionth of a cent. */
  public static final int COST_SCALE = 8;

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO);

  public Price {
    if (inputUsdPerMillion.signum() < 0 || outputUsdPerMillion.signum() < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  public static Price perMillion(double input, double output) {
    return new Price(BigDecimal.valueOf(input), BigDecimal.valueOf(output));
  }

  /** The cost of a request's usage, rounded half-up to {@link #COST_SCALE} decimals. */
  public BigDecimal cost(TokenUsage usage) {
    BigDecimal input = inputUsdPerMillion.multiply(BigDecimal.valueOf(usage.promptTokens()));
    BigDecimal output = outputUsdPerMillion.multiply(BigDecimal.valueOf(usage.completionTokens()));
    return input.add(output).divide(MILLION, COST_SCALE, RoundingMode.HALF_UP);
  }
}
