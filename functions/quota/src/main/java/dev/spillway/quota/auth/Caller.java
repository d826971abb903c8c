package dev.spillway.quota.auth;

/**
 * Who made a request.
 *
 * @param role what the key may do
 * @param tenant the tenant of a tenant key, else null
 */
public record Caller(Role role, String tenant) {

  /** What a key may do. */
  public enum Role {
    /** Everything. */
    ADMIN,
    /** The gateways' endpoints: leases and key lookups. */
    SERVICE,
    /** Read its own tenant's usage. */
    TENANT
  }

  public static final Caller ADMIN = new Caller(Role.ADMIN, null);
  public static final Caller SERVICE = new Caller(Role.SERVICE, null);
}
