package dev.spillway.gateway.validation;

import java.util.List;
import java.util.StringJoiner;

/** Real-looking answers that no rule may flag: the false positives the thresholds must avoid. */
final class HealthyTexts {

  private HealthyTexts() {}

  static final String PROSE =
      """
      Rate limiting protects a service from clients that send more requests than it can serve. \
      The simplest scheme, a fixed window, counts requests per minute and rejects the rest, but \
      it lets a client send twice the limit across the boundary between two windows.

      A token bucket avoids that. Each client owns a bucket that refills at a steady rate up to \
      a capacity; a request takes a token, and a request that finds the bucket empty is told \
      how long to wait. The capacity sets the largest burst, the refill rate the long-run \
      average, and the two can be tuned apart.

      In a gateway the bucket usually lives in a shared store, so that every replica sees the \
      same balance. That costs a round trip per request, which is why many gateways reserve a \
      batch of tokens locally and settle with the store every few hundred milliseconds. The \
      trade-off is a small overshoot when many replicas reserve at once, which is acceptable \
      for cost control and not for hard security limits.

      Finally, tell the client what happened: a 429 status, a Retry-After header, and the \
      remaining budget, so that a well-behaved client can slow down instead of retrying blindly.
      """;

  static final String CODE_BLOCK =
      """
      Here is a small Java class that does it:

      ```java
      public final class TokenBucket {
        private final long capacity;
        private final double refillPerNano;
        private double tokens;
        private long lastRefill;

        public TokenBucket(long capacity, double refillPerSecond) {
          this.capacity = capacity;
          this.refillPerNano = refillPerSecond / 1_000_000_000.0;
          this.tokens = capacity;
          this.lastRefill = System.nanoTime();
        }

        public synchronized boolean tryAcquire() {
          refill();
          if (tokens >= 1) {
            tokens -= 1;
            return true;
          }
          return false;
        }

        private void refill() {
          long now = System.nanoTime();
          tokens = Math.min(capacity, tokens + (now - lastRefill) * refillPerNano);
          lastRefill = now;
        }
      }
      ```

      Call `tryAcquire()` before each request; when it returns `false`, answer 429.
      """;

  /** A wide table with a long separator row and rows that share most of their characters. */
  static String markdownTable() {
    StringBuilder table = new StringBuilder("| Region | Provider | Model | p50 ms | p99 ms |\n");
    table.append("|--------|----------|-------|--------|--------|\n");
    String[] regions = {"eu-west-1", "us-east-1", "ap-south-1"};
    for (int i = 0; i < 40; i++) {
      table
          .append("| ")
          .append(regions[i % 3])
          .append(" | openai | gpt-4o-mini | ")
          .append(200 + i * 7 % 50)
          .append(" | ")
          .append(900 + i * 13 % 200)
          .append(" |\n");
    }
    return table.toString();
  }

  /** {@code 1. a}, {@code 2. b}, ... for 300 items. */
  static String numberedList() {
    StringBuilder list = new StringBuilder();
    for (int i = 1; i <= 300; i++) {
      list.append(i).append(". ").append((char) ('a' + (i - 1) % 26)).append('\n');
    }
    return list.toString();
  }

  /** A JSON array of 200 records that differ only in their numbers. */
  static String longJson() {
    StringJoiner items = new StringJoiner(",", "{\"items\":[", "],\"total\":200}");
    for (int i = 0; i < 200; i++) {
      items.add(
          "{\"id\":" + i + ",\"status\":\"active\",\"score\":" + (i * 37 % 100) + ",\"tags\":[]}");
    }
    return items.toString();
  }

  /** A refrain sung three times: a long unit repeated, but far fewer times than a loop. */
  static String songWithRefrain() {
    String refrain =
        "And the river keeps on rolling, rolling down to the sea,\n"
            + "and the river keeps on rolling, carrying you and me.\n";
    return "Verse one, about a town by the water.\n"
        + refrain
        + "Verse two, about leaving in the spring.\n"
        + refrain
        + "Verse three, about coming home again.\n"
        + refrain;
  }

  static List<String> all() {
    return List.of(
        PROSE, CODE_BLOCK, markdownTable(), numberedList(), longJson(), songWithRefrain());
  }
}
