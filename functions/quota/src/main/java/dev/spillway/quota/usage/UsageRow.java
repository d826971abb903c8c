package dev.spillway.quota.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One row of {@code GET /usage}: the totals of one group. Columns not grouped by are null.
 *
 * @param costUsd summed price of the requests, in USD
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageRow(
    String tenant,
    String feature,
    String model,
    LocalDate day,
    long requests,
    long promptTokens,
    long completionTokens,
    BigDecimal costUsd) {}
