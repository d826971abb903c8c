package dev.spillway.quota.lease;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What one claim was granted.
 *
 * <p>Times are durations, not instants, so that clocks need not agree: the instance measures them
 * from the moment it <em>sent</em> the request, which can only make it stop early, never late.
 *
 * @param resource the claim's resource
 * @param client the claim's client
 * @param status {@code ok}, or {@code unknown} when no such budget exists (nothing limits it: the
 *     instance should not claim it again until its key lookup changes)
 * @param window start of the current window, epoch milliseconds on the quota function's clock (0
 *     for {@code concurrent-requests}); the next claim reports use against it
 * @param windowEndsInMs time until the current window ends, or -1 when there is no window
 * @param limit the budget's limit per window (or in flight)
 * @param allowance what this client may still use in the current window, counted from the moment
 *     its request was sent: the instance subtracts whatever it admitted since then
 * @param remaining the budget's headroom that no one holds or has used: {@code limit - used - all
 *     allowances}; with {@code allowance}, what {@code x-ratelimit-remaining-*} reports
 * @param validForMs how long the allowance may be used without a renewal; past it, the instance
 *     applies its unreachable-quota policy
 * @param next the grant for the window after this one, when the claim arrived shortly before this
 *     one's end (within the refresh interval): the instance switches to it at the boundary by
 *     itself instead of waiting for a renewal there; null otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeaseGrant(
    String resource,
    String client,
    String status,
    long window,
    long windowEndsInMs,
    long limit,
    long allowance,
    long remaining,
    long validForMs,
    @JsonInclude(JsonInclude.Include.NON_NULL) Next next) {

  public static final String OK = "ok";
  public static final String UNKNOWN = "unknown";

  @JsonCreator
  public LeaseGrant {}

  /** A grant without a prefetched next window. */
  public LeaseGrant(
      String resource,
      String client,
      String status,
      long window,
      long windowEndsInMs,
      long limit,
      long allowance,
      long remaining,
      long validForMs) {
    this(
        resource,
        client,
        status,
        window,
        windowEndsInMs,
        limit,
        allowance,
        remaining,
        validForMs,
        null);
  }

  /**
   * The allowance granted in advance for the next window; times count from the claim's send time,
   * like the grant's.
   *
   * @param window the next window's start
   * @param windowEndsInMs time until the next window ends
   * @param allowance what the client may use in it
   * @param remaining the next window's headroom that no one holds
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Next(long window, long windowEndsInMs, long allowance, long remaining) {}
}
