package dev.spillway.quota.usage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One row of {@code GET /usage}: the totals of one group. Columns not grouped by are null.
 *
 * @param category the task category quality routing routed the requests for (null: not grouped, or
 *     requests of configured-order routes)
 * @param costUsd summed price of the requests, in USD
 * @param strongestCostUsd what they would have cost had every quality-routed request gone to its
 *     route's strongest target (requests of other routes count at their own cost)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageRow(
    String tenant,
    String feature,
    String model,
    String category,
    LocalDate day,
    long requests,
    long promptTokens,
    long completionTokens,
    BigDecimal costUsd,
    BigDecimal strongestCostUsd) {

  /** What quality routing saved against sending every routed request to the strongest target. */
  @JsonProperty("savings_usd")
  public BigDecimal savingsUsd() {
    return strongestCostUsd.subtract(costUsd).stripTrailingZeros();
  }
}
