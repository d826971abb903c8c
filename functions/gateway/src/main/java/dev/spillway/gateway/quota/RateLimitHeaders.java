package dev.spillway.gateway.quota;

import dev.spillway.quota.Dimension;
import dev.spillway.quota.allowance.Allowance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's rate-limit headers for the tightest token budget and the tightest request budget of a
 * caller: {@code x-ratelimit-limit-tokens}, {@code x-ratelimit-remaining-tokens}, {@code
 * x-ratelimit-reset-tokens} and the {@code -requests} variants. Only the caller's own budgets (its
 * feature, its tenant, its ancestors) are looked at, and only numbers are shown: nothing names
 * another tenant.
 */
public final class RateLimitHeaders {

  private RateLimitHeaders() {}

  /**
   * The headers for these leases; a kind with no leased budget gets no headers.
   *
   * @param nowNanos the monotonic clock, for the reset times
   */
  public static Map<String, String> of(List<LeaseManager.Lease> leases, long nowNanos) {
    Map<String, String> headers = new LinkedHashMap<>();
    tightest(leases, nowNanos, true, "tokens", headers);
    tightest(leases, nowNanos, false, "requests", headers);
    return headers;
  }

  private static void tightest(
      List<LeaseManager.Lease> leases,
      long nowNanos,
      boolean tokens,
      String suffix,
      Map<String, String> headers) {
    Allowance best = null;
    long bestRemaining = Long.MAX_VALUE;
    for (LeaseManager.Lease lease : leases) {
      Dimension dimension = lease.dimension();
      boolean kind =
          tokens
              ? dimension.unit() == Dimension.Unit.TOKENS
              : dimension == Dimension.REQUESTS_PER_MINUTE;
      Allowance allowance = lease.allowance();
      if (!kind || allowance.status() != Allowance.Status.LEASED) {
        continue;
      }
      long remaining = Math.min(allowance.remaining(nowNanos), allowance.limit());
      if (remaining < bestRemaining) {
        bestRemaining = remaining;
        best = allowance;
      }
    }
    if (best == null) {
      return;
    }
    headers.put("x-ratelimit-limit-" + suffix, Long.toString(best.limit()));
    headers.put("x-ratelimit-remaining-" + suffix, Long.toString(Math.max(0, bestRemaining)));
    long reset = best.windowEndsInNanos(nowNanos);
    headers.put("x-ratelimit-reset-" + suffix, duration(Math.max(0, reset) / 1_000_000L));
  }

  /**
   * A duration as OpenAI writes it: {@code 120ms} below a second, else hours, minutes and seconds
   * ({@code 1s}, {@code 6m0s}, {@code 1h2m3s}), rounded up to the next second.
   */
  public static String duration(long millis) {
    if (millis < 1_000) {
      return millis + "ms";
    }
    long seconds = (millis + 999) / 1_000;
    long h = seconds / 3_600;
    long m = (seconds % 3_600) / 60;
    long s = seconds % 60;
    StringBuilder out = new StringBuilder();
    if (h > 0) {
      out.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      out.append(m).append('m');
    }
    return out.append(s).append('s').toString();
  }
}
