package dev.spillway.gateway.api;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids for {@code x-request-id}: 96 random bits, enough to never collide in logs. Uses
 * {@link ThreadLocalRandom} rather than {@code UUID.randomUUID()} because the latter goes through a
 * shared SecureRandom on every request and ids need no cryptographic strength.
 */
final class RequestIds {

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return "req_"
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Integer.toHexString(random.nextInt() | Integer.MIN_VALUE);
  }
}
