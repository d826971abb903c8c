package dev.spillway.quota.allocation;

import dev.spillway.quota.Dimension;
import dev.spillway.quota.ResourceId;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The window a budget's use is counted in at a given instant, aligned to UTC so that every process
 * agrees without talking, and the limit that applies to it.
 *
 * <p>Tenant budgets use their dimension's window (minute, day, calendar month; none for {@code
 * concurrent-requests}). A provider account's per-minute limits are enforced in shorter windows of
 * {@code accountWindow} with {@code limit * accountWindow / 1 minute} each, because a provider
 * refills continuously: a whole minute's tokens granted in its first second would be refused
 * upstream whatever the phase.
 *
 * @param start epoch milliseconds of the window's start (0 when there is no window)
 * @param end epoch milliseconds of its end ({@link Long#MAX_VALUE} when there is no window)
 * @param limit the budget's limit in this window
 */
public record BudgetWindow(long start, long end, long limit) {

  /** True when the budget has no window ({@code concurrent-requests}). */
  public boolean unbounded() {
    return end == Long.MAX_VALUE;
  }

  /** Milliseconds from {@code nowMillis} to the window's end, or -1 when there is no window. */
  public long endsInMs(long nowMillis) {
    return unbounded() ? -1 : Math.max(0, end - nowMillis);
  }

  /**
   * The window of {@code resource} that contains {@code now}.
   *
   * @param limit the budget's configured limit (per minute, day, month or in flight)
   * @param accountWindow the window length of provider-account budgets, 1 ms to 1 minute
   */
  public static BudgetWindow of(
      ResourceId resource, long limit, Instant now, Duration accountWindow) {
    long millis = now.toEpochMilli();
    if (resource.kind() == ResourceId.Kind.ACCOUNT
        && resource.dimension().window() == Dimension.WindowKind.MINUTE) {
      long length = accountWindow.toMillis();
      long start = Math.floorDiv(millis, length) * length;
      return new BudgetWindow(start, start + length, perWindow(limit, length));
    }
    return switch (resource.dimension().window()) {
      case MINUTE -> {
        long start = Math.floorDiv(millis, 60_000L) * 60_000L;
        yield new BudgetWindow(start, start + 60_000L, limit);
      }
      case DAY -> {
        long start = Math.floorDiv(millis, 86_400_000L) * 86_400_000L;
        yield new BudgetWindow(start, start + 86_400_000L, limit);
      }
      case MONTH -> {
        LocalDate first = LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1);
        long start = first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long end =
            first
                .plus(1, ChronoUnit.MONTHS)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant()
                .toEpochMilli();
        yield new BudgetWindow(start, end, limit);
      }
      case NONE -> new BudgetWindow(0, Long.MAX_VALUE, limit);
    };
  }

  /** A per-minute limit scaled to a shorter window, rounded down. */
  static long perWindow(long perMinute, long windowMillis) {
    return Math.multiplyExact(perMinute, windowMillis) / 60_000L;
  }
}
