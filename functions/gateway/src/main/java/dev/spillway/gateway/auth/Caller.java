package dev.spillway.gateway.auth;

/**
 * Who sent a request, as its API key says.
 *
 * @param tenant who pays
 * @param feature which of the tenant's features
 * @param tier its priority
 */
public record Caller(String tenant, String feature, PriorityTier tier) {}
