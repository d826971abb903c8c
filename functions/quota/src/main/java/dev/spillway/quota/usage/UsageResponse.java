package dev.spillway.quota.usage;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.LocalDate;
import java.util.List;

/**
 * The answer of {@code GET /usage}.
 *
 * @param from first day counted (UTC, inclusive)
 * @param to last day counted (UTC, inclusive)
 * @param groupBy the columns rows are grouped by, besides the tenant
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageResponse(
    String tenant, LocalDate from, LocalDate to, List<String> groupBy, List<UsageRow> rows) {}
