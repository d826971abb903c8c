package dev.spillway.quota.store;

import java.time.OffsetDateTime;

/**
 * A stored tenant.
 *
 * @param parent the parent tenant's name, or null for a root
 * @param version bumped by every change; the ETag of optimistic concurrency
 */
public record Tenant(
    String name, String parent, int weight, long version, OffsetDateTime createdAt) {}
