package dev.spillway.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyAuthenticatorTest {

  private final ApiKeyHasher hasher = new ApiKeyHasher();
  private final Caller acme = new Caller("acme", "search", PriorityTier.INTERACTIVE);
  private final ApiKeyAuthenticator authenticator =
      new ApiKeyAuthenticator(hasher, Map.of(hasher.hash("sk-acme"), acme));

  @Test
  void hashesAreSha256Hex() {
    // printf %s sk-spillway-local-dev | sha256sum
    assertEquals(
        "66f503c841e8254e777bc771bc6b9a2feefd8b268770c7d7de29d769f8193798",
        hasher.hash("sk-spillway-local-dev"));
    assertTrue(ApiKeyHasher.isHash(hasher.hash("x")));
    assertFalse(ApiKeyHasher.isHash("sk-acme"));
    assertFalse(ApiKeyHasher.isHash(hasher.hash("x").toUpperCase()));
  }

  @Test
  void findsTheCallerForABearerKey() {
    assertEquals(acme, authenticator.authenticate("Bearer sk-acme").orElseThrow());
    assertEquals(acme, authenticator.authenticate("bearer sk-acme").orElseThrow());
  }

  @Test
  void refusesMissingMalformedAndUnknownKeys() {
    assertTrue(authenticator.authenticate(null).isEmpty());
    assertTrue(authenticator.authenticate("").isEmpty());
    assertTrue(authenticator.authenticate("Bearer ").isEmpty());
    assertTrue(authenticator.authenticate("Basic c2stYWNtZQ==").isEmpty());
    assertTrue(authenticator.authenticate("Bearer sk-other").isEmpty());
    assertTrue(
        authenticator.authenticate("Bearer " + hasher.hash("sk-acme")).isEmpty(),
        "the hash itself is not a key");
  }
}
