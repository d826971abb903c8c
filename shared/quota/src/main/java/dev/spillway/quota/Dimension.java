package dev.spillway.quota;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a budget limits, in which unit, over which window.
 *
 * <p>Windows are fixed and aligned to UTC (minute, day, calendar month), so every gateway instance
 * and the quota function agree on which window a unit of use belongs to without talking. {@link
 * #CONCURRENT_REQUESTS} has no window: use is taken when a request is admitted and given back when
 * it ends.
 */
public enum Dimension {
  /** Prompt plus completion tokens per UTC minute. */
  TOKENS_PER_MINUTE("tokens-per-minute", Unit.TOKENS, WindowKind.MINUTE),
  /** Prompt plus completion tokens per UTC day. */
  TOKENS_PER_DAY("tokens-per-day", Unit.TOKENS, WindowKind.DAY),
  /** Requests per UTC minute. */
  REQUESTS_PER_MINUTE("requests-per-minute", Unit.REQUESTS, WindowKind.MINUTE),
  /** Money per UTC calendar month, in micro-dollars (1 USD = 1,000,000). */
  USD_MICROS_PER_MONTH("usd-micros-per-month", Unit.USD_MICROS, WindowKind.MONTH),
  /** Requests in flight at once. */
  CONCURRENT_REQUESTS("concurrent-requests", Unit.REQUESTS, WindowKind.NONE);

  /** What one unit of use is. */
  public enum Unit {
    TOKENS,
    REQUESTS,
    USD_MICROS
  }

  /** How use is grouped in time. */
  public enum WindowKind {
    MINUTE,
    DAY,
    MONTH,
    /** No window: use is held while a request runs and returned when it ends. */
    NONE
  }

  private final String wireName;
  private final Unit unit;
  private final WindowKind window;

  Dimension(String wireName, Unit unit, WindowKind window) {
    this.wireName = wireName;
    this.unit = unit;
    this.window = window;
  }

  /** The kebab-case name used in resource ids, JSON and configuration. */
  public String wireName() {
    return wireName;
  }

  public Unit unit() {
    return unit;
  }

  public WindowKind window() {
    return window;
  }

  /** The dimension with this wire name, or empty. */
  public static Optional<Dimension> fromWireName(String name) {
    return Arrays.stream(values()).filter(d -> d.wireName.equals(name)).findFirst();
  }
}
