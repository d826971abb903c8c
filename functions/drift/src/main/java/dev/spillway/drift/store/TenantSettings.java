package dev.spillway.drift.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A tenant the drift function serves and how its samples are kept.
 *
 * @param name the tenant
 * @param keepText whether raw query texts are stored (otherwise vectors and term counts only)
 * @param window the length of a sample window (windows are aligned to the Unix epoch, UTC)
 * @param reservoirSize the most samples kept per window
 * @param minSamples the fewest samples on each side for a verdict
 * @param version incremented by every change
 */
public record TenantSettings(
    String name,
    boolean keepText,
    Duration window,
    int reservoirSize,
    int minSamples,
    long version) {

  /** The start of the window holding {@code at}. */
  public Instant windowStart(Instant at) {
    long size = window.toMillis();
    long millis = at.toEpochMilli();
    return Instant.ofEpochMilli(millis - Math.floorMod(millis, size));
  }

  /** The end (exclusive) of the window starting at {@code start}. */
  public Instant windowEnd(Instant start) {
    return start.plus(window);
  }
}
