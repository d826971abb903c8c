package dev.spillway.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.keys.KeyLookupResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The key cache's TTLs, sharing of concurrent look-ups, and stale-if-error, on a manual clock. */
class KeyCacheTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong();
  private final List<CompletableFuture<Optional<KeyLookupResponse>>> lookups = new ArrayList<>();
  private final KeyCache cache =
      new KeyCache(
          hash -> {
            CompletableFuture<Optional<KeyLookupResponse>> answer = new CompletableFuture<>();
            lookups.add(answer);
            return answer;
          },
          clock::get,
          Duration.ofSeconds(5));

  private static Optional<KeyLookupResponse> acme(long cacheForMs) {
    return Optional.of(
        new KeyLookupResponse(
            "acme", "search", "batch", List.of("org"), List.of(), 300, cacheForMs));
  }

  @Test
  void cachesAKnownKeyForTheTimeTheQuotaFunctionGave() {
    var first = cache.resolve("h").toCompletableFuture();
    var second = cache.resolve("h").toCompletableFuture();
    assertEquals(1, lookups.size(), "concurrent look-ups of one hash share one call");
    lookups.get(0).complete(acme(1_000));
    assertEquals("acme", first.join().orElseThrow().caller().tenant());
    assertEquals("BATCH", second.join().orElseThrow().caller().tier().name());
    clock.set(999 * MS);
    assertTrue(cache.resolve("h").toCompletableFuture().isDone());
    assertEquals(1, lookups.size());
    clock.set(1_000 * MS);
    cache.resolve("h");
    assertEquals(2, lookups.size(), "expired: asked again (a revoked key stops working)");
    lookups.get(1).complete(Optional.empty());
    assertTrue(cache.resolve("h").toCompletableFuture().join().isEmpty());
  }

  @Test
  void cachesAnUnknownKeyBriefly() {
    cache.resolve("nope");
    lookups.get(0).complete(Optional.empty());
    clock.set(4_999 * MS);
    assertTrue(cache.resolve("nope").toCompletableFuture().join().isEmpty());
    assertEquals(1, lookups.size());
    clock.set(5_000 * MS);
    cache.resolve("nope");
    assertEquals(2, lookups.size());
  }

  @Test
  void servesAStaleAnswerWhileTheQuotaFunctionIsUnreachable() {
    cache.resolve("h");
    lookups.get(0).complete(acme(1_000));
    clock.set(2_000 * MS);
    var stale = cache.resolve("h").toCompletableFuture();
    lookups.get(1).completeExceptionally(new QuotaUnavailableException("down"));
    assertEquals("acme", stale.join().orElseThrow().caller().tenant());

    var unknown = cache.resolve("never-seen").toCompletableFuture();
    lookups.get(2).completeExceptionally(new QuotaUnavailableException("down"));
    try {
      unknown.join();
    } catch (CompletionException e) {
      assertTrue(e.getCause() instanceof QuotaUnavailableException);
      return;
    }
    throw new AssertionError("an uncached key cannot be resolved while the quota function is down");
  }

  @Test
  void aFloodOfUnknownKeysIsBoundedBySize() {
    KeyCache small =
        new KeyCache(
            hash -> CompletableFuture.completedFuture(Optional.empty()),
            clock::get,
            Duration.ofSeconds(5),
            Duration.ofMinutes(15),
            100);
    for (int i = 0; i < 10_000; i++) {
      small.resolve("random-" + i).toCompletableFuture().join();
    }
    assertTrue(small.size() <= 100, "held " + small.size());
  }

  @Test
  void aStaleAnswerServesOnlyWithinTheStaleWindow() {
    KeyCache cache =
        new KeyCache(
            hash -> {
              CompletableFuture<Optional<KeyLookupResponse>> answer = new CompletableFuture<>();
              lookups.add(answer);
              return answer;
            },
            clock::get,
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            100);
    cache.resolve("h");
    lookups.get(0).complete(acme(1_000));
    clock.set(1_000 * MS + 59_000 * MS);
    var stale = cache.resolve("h").toCompletableFuture();
    lookups.get(1).completeExceptionally(new QuotaUnavailableException("down"));
    assertEquals("acme", stale.join().orElseThrow().caller().tenant(), "within the window");
    clock.set(1_000 * MS + 61_000 * MS);
    var tooOld = cache.resolve("h").toCompletableFuture();
    lookups.get(2).completeExceptionally(new QuotaUnavailableException("down"));
    assertTrue(tooOld.isCompletedExceptionally(), "past the window a revoked key stops working");
  }

  @Test
  void aLookUpThatFailsAtOnceIsReportedAndNotStuck() {
    KeyCache cache =
        new KeyCache(
            hash -> CompletableFuture.failedFuture(new QuotaUnavailableException("pool full")),
            clock::get,
            Duration.ofSeconds(5));
    for (int i = 0; i < 2; i++) {
      var answer = cache.resolve("h").toCompletableFuture();
      assertTrue(answer.isCompletedExceptionally(), "attempt " + i);
    }
  }
}
