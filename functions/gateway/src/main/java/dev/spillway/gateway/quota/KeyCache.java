package dev.spillway.gateway.quota;

import dev.spillway.quota.keys.KeyLookupResponse;
import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Resolves API-key hashes through the quota function and caches the answers: a known key for the
 * {@code cache_for_ms} the quota function gave (a revoked key stops working within it), an unknown
 * key briefly (so a wrong key cannot flood the quota function). While the quota function is
 * unreachable an expired answer is used rather than failing every request ("stale if error").
 * Concurrent look-ups of one hash share one call. Thread-safe.
 */
public final class KeyCache {

  /** Entries kept at most; beyond it expired entries are swept (a flood of random keys). */
  private static final int MAX_ENTRIES = 100_000;

  private record Entry(Optional<QuotaCaller> caller, long expiresAtNanos) {}

  private final Function<String, CompletionStage<Optional<KeyLookupResponse>>> lookup;
  private final LongSupplier nanoClock;
  private final long negativeNanos;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<QuotaCaller>>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param lookup the quota client's key look-up
   * @param negativeCacheFor how long an unknown key's answer is kept
   */
  public KeyCache(
      Function<String, CompletionStage<Optional<KeyLookupResponse>>> lookup,
      LongSupplier nanoClock,
      Duration negativeCacheFor) {
    this.lookup = lookup;
    this.nanoClock = nanoClock;
    this.negativeNanos = negativeCacheFor.toNanos();
  }

  /**
   * The caller holding the key with this hash, or empty for an unknown or revoked key.
   *
   * @return a completed stage on a cache hit; fails with {@link QuotaUnavailableException} only
   *     when the quota function is unreachable and nothing (not even a stale answer) is cached
   */
  public CompletionStage<Optional<QuotaCaller>> resolve(String keyHash) {
    long now = nanoClock.getAsLong();
    Entry cached = entries.get(keyHash);
    if (cached != null && now - cached.expiresAtNanos < 0) {
      return CompletableFuture.completedFuture(cached.caller);
    }
    CompletableFuture<Optional<QuotaCaller>> call = inFlight.computeIfAbsent(keyHash, this::fetch);
    if (cached == null || cached.caller.isEmpty()) {
      return call;
    }
    // Stale if error: an expired answer serves while the quota function is unreachable.
    return call.exceptionally(
        failure -> {
          Log.debugf("key look-up failed (%s): using the cached answer", failure.getMessage());
          return cached.caller;
        });
  }

  private CompletableFuture<Optional<QuotaCaller>> fetch(String keyHash) {
    CompletableFuture<Optional<QuotaCaller>> result = new CompletableFuture<>();
    lookup
        .apply(keyHash)
        .whenComplete(
            (answer, failure) -> {
              inFlight.remove(keyHash);
              if (failure != null) {
                result.completeExceptionally(
                    failure instanceof QuotaUnavailableException
                        ? failure
                        : failure.getCause() instanceof QuotaUnavailableException q
                            ? q
                            : new QuotaUnavailableException(String.valueOf(failure.getMessage())));
                return;
              }
              Optional<QuotaCaller> caller = answer.map(QuotaCaller::of);
              long ttl =
                  answer.map(a -> Math.max(0, a.cacheForMs()) * 1_000_000L).orElse(negativeNanos);
              if (entries.size() >= MAX_ENTRIES) {
                sweep();
              }
              entries.put(keyHash, new Entry(caller, nanoClock.getAsLong() + ttl));
              result.complete(caller);
            });
    return result;
  }

  private void sweep() {
    long now = nanoClock.getAsLong();
    entries.values().removeIf(e -> now - e.expiresAtNanos >= 0);
  }
}
