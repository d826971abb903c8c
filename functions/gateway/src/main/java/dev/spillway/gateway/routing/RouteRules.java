package dev.spillway.gateway.routing;

import dev.spillway.gateway.validation.ValidationPolicy;
import java.time.Duration;

/**
 * How a route dispatches: its deadlines, hedging, mid-stream recovery and response validation,
 * resolved once at start-up from the route's configuration and the gateway-wide defaults.
 *
 * @param firstToken how long a streaming attempt may wait for its first output token
 * @param stall how long a stream may stay silent while a chunk is awaited
 * @param total the most a whole request may take
 * @param hedge when a second target is started
 * @param midStreamRecovery whether a stream broken after output continues on the next target
 * @param validation which "200 OK but garbage" rules apply
 * @param bufferJsonStreams whether streams in JSON modes are validated whole before the client sees
 *     a byte
 * @param accountFields which fields that act on the gateway's provider account a request may set
 */
public record RouteRules(
    Duration firstToken,
    Duration stall,
    Duration total,
    Hedge hedge,
    boolean midStreamRecovery,
    ValidationPolicy validation,
    boolean bufferJsonStreams,
    AccountFieldPolicy accountFields) {

  /** Rules without account fields. */
  public RouteRules(
      Duration firstToken,
      Duration stall,
      Duration total,
      Hedge hedge,
      boolean midStreamRecovery,
      ValidationPolicy validation,
      boolean bufferJsonStreams) {
    this(
        firstToken,
        stall,
        total,
        hedge,
        midStreamRecovery,
        validation,
        bufferJsonStreams,
        AccountFieldPolicy.NONE);
  }

  /** When to hedge. */
  public enum HedgeMode {
    /** After the target's observed time-to-first-output quantile. */
    ADAPTIVE,
    /** After a fixed delay. */
    FIXED,
    /** Never. */
    OFF
  }

  /**
   * @param mode when to hedge
   * @param delay the fixed delay, and the adaptive one until enough latencies were observed
   * @param quantile the observed latency quantile an adaptive hedge waits for
   * @param minDelay the smallest adaptive delay
   */
  public record Hedge(HedgeMode mode, Duration delay, double quantile, Duration minDelay) {}
}
