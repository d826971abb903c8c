package dev.spillway.gateway.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
 * unreachable an expired answer for a known key is used, for at most {@code staleFor}, rather than
 * failing every request ("stale if error"). Thread-safe.
 *
 * <p>Every key is client-controlled input, so the cache is bounded twice: by entries (Caffeine's
 * size-based eviction, which keeps frequently used keys over a flood of random ones) and by time
 * (an entry lives its TTL plus, for a known key, the stale window). Concurrent look-ups of one hash
 * share one call; the number of distinct look-ups in flight is bounded by the quota client's
 * key-lookup pool and its wait queue, which fail fast when full.
 */
public final class KeyCache {

  /** Entries kept unless told otherwise: about 20 MB at the worst. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  /** An answer: who holds the key (empty: nobody) and when it stops being fresh. */
  private record Entry(Optional<QuotaCaller> caller, long freshUntilNanos) {}

  private final Function<String, CompletionStage<Optional<KeyLookupResponse>>> lookup;
  private final LongSupplier nanoClock;
  private final long negativeNanos;
  private final Cache<String, Entry> entries;
  private final Map<String, CompletableFuture<Optional<QuotaCaller>>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param lookup the quota client's key look-up
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   * @param negativeCacheFor how long an unknown key's answer is kept
   * @param staleFor how long past its TTL a known key's answer may serve while the quota function
   *     is unreachable
   * @param maxEntries answers kept at most
   */
  public KeyCache(
      Function<String, CompletionStage<Optional<KeyLookupResponse>>> lookup,
      LongSupplier nanoClock,
      Duration negativeCacheFor,
      Duration staleFor,
      int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
    }
    this.lookup = lookup;
    this.nanoClock = nanoClock;
    this.negativeNanos = negativeCacheFor.toNanos();
    long staleNanos = staleFor.toNanos();
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .ticker(nanoClock::getAsLong)
            // Maintenance on the calling thread: no task on a shared pool per lookup.
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<String, Entry>() {
                  @Override
                  public long expireAfterCreate(String key, Entry entry, long now) {
                    long fresh = Math.max(0, entry.freshUntilNanos - now);
                    return entry.caller.isPresent() ? fresh + staleNanos : fresh;
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, Entry entry, long now, long currentDuration) {
                    return expireAfterCreate(key, entry, now);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, Entry entry, long now, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  /** A cache of {@value #DEFAULT_MAX_ENTRIES} answers whose stale window is 15 minutes. */
  public KeyCache(
      Function<String, CompletionStage<Optional<KeyLookupResponse>>> lookup,
      LongSupplier nanoClock,
      Duration negativeCacheFor) {
    this(lookup, nanoClock, negativeCacheFor, Duration.ofMinutes(15), DEFAULT_MAX_ENTRIES);
  }

  /**
   * The caller holding the key with this hash, or empty for an unknown or revoked key.
   *
   * @return a completed stage on a cache hit; fails with {@link QuotaUnavailableException} only
   *     when the quota function is unreachable and nothing (not even a stale answer) is cached
   */
  public CompletionStage<Optional<QuotaCaller>> resolve(String keyHash) {
    long now = nanoClock.getAsLong();
    Entry cached = entries.getIfPresent(keyHash);
    if (cached != null && now - cached.freshUntilNanos < 0) {
      return CompletableFuture.completedFuture(cached.caller);
    }
    CompletableFuture<Optional<QuotaCaller>> call = sharedLookup(keyHash);
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

  /** Answers held now, fresh or stale (after pending evictions). */
  public long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  /**
   * The look-up in flight for this hash, started if there is none. Started outside the map's
   * update: a look-up that fails at once (a full pool) completes on this thread.
   */
  private CompletableFuture<Optional<QuotaCaller>> sharedLookup(String keyHash) {
    CompletableFuture<Optional<QuotaCaller>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<QuotaCaller>> running = inFlight.putIfAbsent(keyHash, mine);
    if (running != null) {
      return running;
    }
    lookup
        .apply(keyHash)
        .whenComplete(
            (answer, failure) -> {
              inFlight.remove(keyHash, mine);
              if (failure != null) {
                mine.completeExceptionally(unavailable(failure));
                return;
              }
              Optional<QuotaCaller> caller = answer.map(QuotaCaller::of);
              long ttl =
                  answer.map(a -> Math.max(0, a.cacheForMs()) * 1_000_000L).orElse(negativeNanos);
              entries.put(keyHash, new Entry(caller, nanoClock.getAsLong() + ttl));
              mine.complete(caller);
            });
    return mine;
  }

  private static Throwable unavailable(Throwable failure) {
    if (failure instanceof QuotaUnavailableException) {
      return failure;
    }
    if (failure.getCause() instanceof QuotaUnavailableException cause) {
      return cause;
    }
    return new QuotaUnavailableException(String.valueOf(failure.getMessage()));
  }
}
