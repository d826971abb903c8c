package dev.spillway.simulator.scenario;

import dev.spillway.simulator.Fault;
import dev.spillway.simulator.ModelProfile;
import java.util.OptionalInt;

/**
 * How the simulator will behave for one completion request, settled before any byte is sent.
 *
 * @param sequence the request's sequence number since start or the last reset
 * @param profile the model profile with every directive applied
 * @param fault the fault to inject, {@link Fault#NONE} for normal behaviour
 * @param omitUsage leave usage out of the response
 * @param retryAfterSeconds {@code Retry-After} to send with a 429 or 503, if any
 * @param stallMillis how long a stall lasts before the connection is closed
 * @param timingSeed seed of the request's latency draws
 * @param cutPoint where {@code cut-mid} and {@code stall-mid} break the answer
 * @param cutDraw the uniform draw in [0, 1) that a random cut point resolves with
 */
public record Scenario(
    long sequence,
    ModelProfile profile,
    Fault fault,
    boolean omitUsage,
    OptionalInt retryAfterSeconds,
    long stallMillis,
    long timingSeed,
    CutPoint cutPoint,
    double cutDraw) {

  /** What a stall lasts when nothing says otherwise: longer than any sane client timeout. */
  public static final long DEFAULT_STALL_MILLIS = 60_000;

  /** {@code Retry-After} of a 429 fault when nothing says otherwise. */
  public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

  /**
   * How many of an answer's tokens a {@code cut-mid} or {@code stall-mid} fault sends before
   * breaking.
   *
   * @param total the answer's tokens, once its content is planned
   * @return a count in [0, total]
   */
  public int tokensBeforeCut(int total) {
    return cutPoint.tokensBefore(total, cutDraw);
  }
}
