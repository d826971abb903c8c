package dev.spillway.quota.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * API keys and their hashes: only the SHA-256 of a key is ever stored or compared; the plain key
 * exists in memory only while a request is authenticated or a new key is handed out. Thread-safe.
 */
public final class KeyHashes {

  /** Every key this function issues starts with it, so leaked keys are recognisable. */
  public static final String PREFIX = "sk-spw-";

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyHashes() {}

  /** Lowercase hex SHA-256 of {@code key}. */
  public static String sha256(String key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** True for a lowercase hex SHA-256. */
  public static boolean isHash(String value) {
    return value != null && HASH.matcher(value).matches();
  }

  /** A new key: {@link #PREFIX} and 48 random hex digits (192 bits). */
  public static String newKey() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }

  /** The non-secret part of a key shown in listings: the prefix and the first 4 random digits. */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(key.length(), PREFIX.length() + 4));
  }

  /** Compares two hashes in constant time. */
  public static boolean same(String a, String b) {
    return a != null
        && b != null
        && MessageDigest.isEqual(
            a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
