package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code PUT /tenants/{tenant}}: the tenant's settings; an absent field takes the default ({@code
 * drift.defaults.*}).
 *
 * @param keepText store raw query texts (default false: vectors and term counts only)
 * @param window window length, ISO-8601 ({@code PT1H}) or {@code 90m}, {@code 1h}, {@code 1d}; 1
 *     minute to 31 days
 * @param reservoirSize most samples kept per window, 10 to 10,000
 * @param minSamples fewest samples on each side for a verdict, at least 2
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantRequest(
    Boolean keepText, String window, Integer reservoirSize, Integer minSamples) {}
