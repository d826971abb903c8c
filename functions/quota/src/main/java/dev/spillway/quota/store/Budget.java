package dev.spillway.quota.store;

import java.time.OffsetDateTime;

/**
 * A stored budget.
 *
 * @param resource its {@link dev.spillway.quota.ResourceId} wire form
 * @param limit per window (or in flight)
 * @param version bumped by every change; the ETag of optimistic concurrency
 */
public record Budget(String resource, long limit, long version, OffsetDateTime updatedAt) {}
