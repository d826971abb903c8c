package dev.spillway.quota.lease;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The quota function's answer to a {@link LeaseRequest}.
 *
 * @param grants one per claim, in the claims' order
 * @param refreshInMs when the instance should renew at the latest, even with allowance left, so
 *     that shares follow demand; it renews sooner when its allowance runs low or a window ends
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseResponse(List<LeaseGrant> grants, long refreshInMs) {}
