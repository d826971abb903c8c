package dev.spillway.gateway.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Finds the caller for an {@code Authorization: Bearer <key>} header by the key's SHA-256.
 *
 * <p>Built once from configuration and immutable, so thread-safe. Comparing hashes through a map
 * lookup leaks nothing useful by timing: the attacker does not control the hash.
 */
public final class ApiKeyAuthenticator {

  private static final String BEARER = "Bearer ";

  private final ApiKeyHasher hasher;
  private final Map<String, Caller> callersByKeyHash;

  public ApiKeyAuthenticator(ApiKeyHasher hasher, Map<String, Caller> callersByKeyHash) {
    this.hasher = hasher;
    this.callersByKeyHash = Map.copyOf(callersByKeyHash);
  }

  /** The caller, or empty when the header is missing, malformed, or carries an unknown key. */
  public Optional<Caller> authenticate(String authorizationHeader) {
    if (authorizationHeader == null
        || authorizationHeader.length() <= BEARER.length()
        || !authorizationHeader.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String key = authorizationHeader.substring(BEARER.length()).trim();
    return Optional.ofNullable(callersByKeyHash.get(hasher.hash(key)));
  }
}
