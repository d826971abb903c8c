package dev.spillway.gateway.quota;

import dev.spillway.gateway.auth.ApiKeyHasher;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's quota enforcement as one handle for the request path: key resolution through the
 * quota function, admission, and the rate-limit headers. {@link #OFF} when {@code
 * gateway.quota.url} is unset: keys then come from {@code gateway.keys} and nothing is limited.
 * Thread-safe.
 */
public final class QuotaRuntime {

  /** Quota enforcement is off. */
  public static final QuotaRuntime OFF = new QuotaRuntime(null, null, null, null, null);

  private static final String BEARER = "Bearer ";

  private final ApiKeyHasher hasher;
  private final KeyCache keys;
  private final LeaseManager leases;
  private final QuotaAdmission admission;
  private final QuotaClient client;

  public QuotaRuntime(
      ApiKeyHasher hasher,
      KeyCache keys,
      LeaseManager leases,
      QuotaAdmission admission,
      QuotaClient client) {
    this.hasher = hasher;
    this.keys = keys;
    this.leases = leases;
    this.admission = admission;
    this.client = client;
  }

  /** The quota function's client; empty when quota is off. */
  public java.util.Optional<QuotaClient> client() {
    return java.util.Optional.ofNullable(client);
  }

  public boolean enabled() {
    return keys != null;
  }

  /**
   * The caller of an {@code Authorization: Bearer <key>} header, resolved by the key's hash (the
   * key itself never leaves the gateway); empty for a missing, malformed, unknown or revoked key.
   * Fails with {@link QuotaUnavailableException} when the quota function is unreachable and the key
   * is not cached.
   */
  public CompletionStage<Optional<QuotaCaller>> resolve(String authorizationHeader) {
    if (authorizationHeader == null
        || authorizationHeader.length() <= BEARER.length()
        || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String key = authorizationHeader.substring(BEARER.length()).trim();
    return keys.resolve(hasher.hash(key));
  }

  public QuotaAdmission admission() {
    return admission;
  }

  public LeaseManager leases() {
    return leases;
  }

  /** The caller's {@code x-ratelimit-*} headers now; empty when off or nothing is leased yet. */
  public Map<String, String> headers(QuotaCaller caller) {
    return caller == null || admission == null ? Map.of() : admission.headers(caller);
  }
}
