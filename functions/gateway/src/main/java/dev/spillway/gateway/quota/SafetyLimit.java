package dev.spillway.gateway.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local limit of {@code fail-open}: tokens per tenant per UTC minute in this instance, while
 * the quota function is unreachable. An outage of the quota function must not become an unlimited
 * budget. Fixed windows keyed by the minute's start; thread-safe.
 */
final class SafetyLimit {

  private record Window(long minute, AtomicLong used) {}

  private final long tokensPerMinute;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  SafetyLimit(long tokensPerMinute) {
    this.tokensPerMinute = tokensPerMinute;
  }

  /** Takes {@code tokens} from the tenant's minute; false when it would pass the limit. */
  boolean tryAcquire(String tenant, long tokens, long epochMillis) {
    long minute = epochMillis / 60_000;
    Window window =
        windows.compute(
            tenant,
            (t, w) -> w == null || w.minute != minute ? new Window(minute, new AtomicLong()) : w);
    long after = window.used.addAndGet(tokens);
    if (after > tokensPerMinute) {
      window.used.addAndGet(-tokens);
      return false;
    }
    return true;
  }

  /** Milliseconds until the current minute ends. */
  static long untilNextMinute(long epochMillis) {
    return 60_000 - epochMillis % 60_000;
  }
}
