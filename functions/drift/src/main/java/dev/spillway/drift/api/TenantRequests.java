package dev.spillway.drift.api;

import dev.spillway.drift.config.DriftConfig;
import dev.spillway.drift.store.TenantSettings;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a {@link TenantRequest} into settings: defaults filled in, every field checked. */
@Singleton
public class TenantRequests {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,7})([smhd])");

  /**
   * The largest reservoir: a report's kernel matrix grows with the square of the samples scored, so
   * a window must stay a size a report can hold (reports subsample to drift.scoring.max-samples).
   */
  public static final int MAX_RESERVOIR = 10_000;

  static final Duration MIN_WINDOW = Duration.ofMinutes(1);
  static final Duration MAX_WINDOW = Duration.ofDays(31);

  private final DriftConfig.Defaults defaults;

  public TenantRequests(DriftConfig config) {
    this.defaults = config.defaults();
  }

  /** The settings for {@code tenant}; a 400 naming the field at fault otherwise. */
  public TenantSettings settings(String tenant, TenantRequest request) {
    TenantRequest r = request == null ? new TenantRequest(null, null, null, null) : request;
    Duration window = r.window() == null ? defaults.window() : window(r.window());
    int reservoir = r.reservoirSize() == null ? defaults.reservoirSize() : r.reservoirSize();
    int minSamples = r.minSamples() == null ? defaults.minSamples() : r.minSamples();
    if (reservoir < 10 || reservoir > MAX_RESERVOIR) {
      throw DriftException.invalid(
          "'reservoir_size' must be between 10 and " + MAX_RESERVOIR + ".");
    }
    if (minSamples < 2 || minSamples > reservoir) {
      throw DriftException.invalid(
          "'min_samples' must be at least 2 and at most 'reservoir_size' (" + reservoir + ").");
    }
    boolean keepText = r.keepText() == null ? defaults.keepText() : r.keepText();
    return new TenantSettings(tenant, keepText, window, reservoir, minSamples, 0);
  }

  /** {@code PT1H}, or a number and one of s, m, h, d; one minute to 31 days, whole seconds. */
  static Duration window(String text) {
    Duration window;
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      window =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        window = Duration.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw DriftException.invalid(
            "'window' must be an ISO-8601 duration (PT1H) or a number with s, m, h or d (90m).");
      }
    }
    if (window.compareTo(MIN_WINDOW) < 0
        || window.compareTo(MAX_WINDOW) > 0
        || window.getNano() != 0) {
      throw DriftException.invalid("'window' must be whole seconds, from 1 minute to 31 days.");
    }
    return window;
  }
}
