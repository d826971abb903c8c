package dev.spillway.gateway.resilience;

/**
 * One admitted request's slot with an upstream, which the holder must settle exactly once when the
 * request ends, whatever happened to it (the listener of Netflix concurrency-limits).
 *
 * <p>Settling releases the slot, hands it to the best waiting request, and (except for {@link
 * #ignore()}) teaches the {@link ConcurrencyLimit} what the upstream just did. Only the first call
 * counts; later calls are no-ops, so a {@code finally}-style safety net may call {@link #ignore()}
 * after the normal path has already settled.
 *
 * <p>A permit dropped unsettled is reclaimed once the garbage collector finds it unreachable (see
 * {@link AdmissionController#leaked()}), but only as a safety net: until then its slot is lost to
 * everyone.
 *
 * <p>Thread-safe: may be settled from any thread. Settling never throws and never blocks beyond a
 * short lock.
 */
public interface Permit {

  /**
   * The request succeeded.
   *
   * @param rttNanos how long it took (for a stream, typically until the first token); a negative
   *     value is taken as 0
   */
  void success(long rttNanos);

  /** The request failed in a way that signals overload: timeout, 429, 5xx. The limit backs off. */
  void dropped();

  /**
   * The request ended without saying anything about the upstream's capacity (the client went away,
   * a 4xx caused by the request itself): the slot is released but the limit is not sampled.
   */
  void ignore();
}
