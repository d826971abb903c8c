package dev.spillway.quota.lease;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One gateway instance's lease call ({@code POST /leases} on the quota function): reports what it
 * used and asks for the allowance it wants, for every budget it decides against, in one round trip.
 *
 * <p>The protocol follows Google's Doorman: the quota function is asked for slices of a budget,
 * never per request. An instance decides locally against its slice, reports its net use at each
 * renewal, and the quota function re-divides the budget among the instances that want it.
 *
 * @param instance a stable id of the calling process for its lifetime (a random UUID at start-up);
 *     leases are kept per instance and client, so two processes must never share one
 * @param claims one per budget (and client) the instance wants or has used; at most 1,000
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseRequest(String instance, List<LeaseClaim> claims) {}
