package dev.spillway.simulator.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** The optional API-key check, accepting either provider's header. */
final class ApiKeys {

  private static final String BEARER = "Bearer ";

  private ApiKeys() {}

  /**
   * Whether the request presents the required key as {@code Authorization: Bearer <key>} (OpenAI)
   * or {@code x-api-key: <key>} (Anthropic); always true when no key is required.
   */
  static boolean authorised(HttpServerRequest request, Optional<String> required) {
    if (required.isEmpty()) {
      return true;
    }
    String presented = request.getHeader("x-api-key");
    if (presented == null) {
      String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
      if (authorization != null
          && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        presented = authorization.substring(BEARER.length()).trim();
      }
    }
    return presented != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8),
            required.get().getBytes(StandardCharsets.UTF_8));
  }
}
