package dev.spillway.drift.auth;

import dev.spillway.drift.api.DriftException;

/**
 * Who sent a request: the admin (every tenant) or one tenant (its own data only).
 *
 * @param tenant the tenant, or null for the admin
 */
public record Caller(String tenant) {

  public static final Caller ADMIN = new Caller(null);

  public boolean admin() {
    return tenant == null;
  }

  /**
   * Passes when this caller may read or write {@code tenant}'s data. Another tenant's data answers
   * 404, as if it did not exist: a tenant must not learn which other tenants exist.
   */
  public void requireAccess(String tenant) {
    if (!admin() && !this.tenant.equals(tenant)) {
      throw DriftException.notFound("No tenant '" + tenant + "'.");
    }
  }

  /** Passes for the admin only. */
  public void requireAdmin() {
    if (!admin()) {
      throw new DriftException(
          dev.spillway.drift.api.DriftError.FORBIDDEN, "This endpoint needs the admin key.");
    }
  }
}
