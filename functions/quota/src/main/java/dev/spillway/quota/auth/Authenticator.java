package dev.spillway.quota.auth;

import dev.spillway.quota.api.QuotaError;
import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.config.QuotaConfig;
import dev.spillway.quota.store.KeyStore;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

/**
 * Turns an {@code Authorization: Bearer <key>} header into a {@link Caller}: the admin and service
 * keys are compared by hash with the configuration, tenant keys looked up by hash in the key table.
 * The plain key is hashed at once and never logged or kept. Thread-safe.
 */
@Singleton
public class Authenticator {

  private final String adminHash;
  private final String serviceHash;
  private final KeyStore keys;

  public Authenticator(QuotaConfig config, KeyStore keys) {
    this.adminHash = config.adminKeyHash().orElse("");
    this.serviceHash = config.serviceKeyHash().orElse("");
    this.keys = keys;
  }

  /** Passes for the admin key; otherwise throws 401 (no or unknown key) or 403. */
  public void requireAdmin(String authorization) {
    String hash = hashOf(authorization);
    if (KeyHashes.same(hash, adminHash)) {
      return;
    }
    if (KeyHashes.same(hash, serviceHash)) {
      throw new QuotaException(QuotaError.FORBIDDEN, "This endpoint needs the admin key.");
    }
    throw unauthorized();
  }

  /** Passes for the service or the admin key; otherwise throws 401. */
  public void requireService(String authorization) {
    String hash = hashOf(authorization);
    if (!KeyHashes.same(hash, adminHash) && !KeyHashes.same(hash, serviceHash)) {
      throw unauthorized();
    }
  }

  /** The admin, or the tenant of a live tenant key; a failure with 401 otherwise. */
  public Uni<Caller> adminOrTenant(String authorization) {
    String hash = hashOf(authorization);
    if (KeyHashes.same(hash, adminHash)) {
      return Uni.createFrom().item(Caller.ADMIN);
    }
    if (KeyHashes.same(hash, serviceHash)) {
      return Uni.createFrom()
          .failure(new QuotaException(QuotaError.FORBIDDEN, "The service key cannot read usage."));
    }
    return keys.tenantOfLiveKey(hash)
        .map(
            tenant -> {
              if (tenant == null) {
                throw unauthorized();
              }
              return new Caller(Caller.Role.TENANT, tenant);
            });
  }

  private static String hashOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized();
    }
    String key = authorization.substring(7).trim();
    if (key.isEmpty() || key.length() > 256) {
      throw unauthorized();
    }
    return KeyHashes.sha256(key);
  }

  private static QuotaException unauthorized() {
    return new QuotaException(
        QuotaError.UNAUTHORIZED, "Send a valid key as Authorization: Bearer <key>.");
  }
}
