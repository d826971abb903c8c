package dev.spillway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of an API key, as lowercase hex: the only form in which keys are configured or kept.
 *
 * <p>A fast unsalted hash is right here because keys are long random strings, not passwords: there
 * is nothing to brute-force, and the gateway must hash on every request. Thread-safe.
 */
public final class ApiKeyHasher {

  private static final HexFormat HEX = HexFormat.of();

  /** One digest per thread: looking the algorithm up costs more than hashing a key. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
          });

  public String hash(String key) {
    MessageDigest digest = SHA_256.get();
    digest.reset();
    return HEX.formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** True for a string that looks like a hash this class produces. */
  public static boolean isHash(String value) {
    return value.length() == 64
        && value.chars().allMatch(c -> HEX.isHexDigit(c) && !Character.isUpperCase(c));
  }
}
