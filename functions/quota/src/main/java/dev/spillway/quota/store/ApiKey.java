package dev.spillway.quota.store;

import java.time.OffsetDateTime;

/**
 * A stored API key, without its secret: only the hash is kept, and not even that leaves here.
 *
 * @param prefix the key's non-secret start, for people to recognise it
 * @param revokedAt when it was revoked, or null while it works
 */
public record ApiKey(
    String id,
    String tenant,
    String feature,
    String tier,
    String prefix,
    OffsetDateTime createdAt,
    OffsetDateTime revokedAt) {}
