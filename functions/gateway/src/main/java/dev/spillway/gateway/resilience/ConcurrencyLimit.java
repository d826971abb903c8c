package dev.spillway.gateway.resilience;

/**
 * An adaptive limit on concurrent requests to one upstream, learned from the latency and failures
 * of the requests it lets through (the shape of Netflix concurrency-limits' {@code Limit}).
 *
 * <p>Why adaptive: an upstream's real capacity (its own rate limits, its GPU pool, the network)
 * changes and is not published, so a fixed limit is either too low (wasted capacity) or too high
 * (requests pile up upstream, latency grows until timeouts cascade). Probing for it keeps in-flight
 * work near what the upstream can actually serve.
 *
 * <p>Implementations are thread-safe: {@link #limit()} may be read from any thread at any time, and
 * {@link #onSample} may be called concurrently. {@link AdmissionController} calls {@code onSample}
 * while holding its own lock, so an implementation must be fast and must not call back into the
 * controller.
 */
public interface ConcurrencyLimit {

  /** The current limit, at least 1: how many requests may be in flight at once. */
  int limit();

  /**
   * Feeds back the outcome of one request.
   *
   * @param rttNanos how long the request took (for a streaming call, typically until the first
   *     token), ≥ 0
   * @param inFlight how many requests were in flight when this one was admitted, itself included
   * @param dropped {@code true} if the request failed in a way that signals overload (timeout, 429,
   *     5xx); {@code false} for a success
   */
  void onSample(long rttNanos, int inFlight, boolean dropped);
}
