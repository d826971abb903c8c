package dev.spillway.simulator;

import java.util.Map;

/**
 * A snapshot of the simulator's counters, as {@code GET /admin/stats} returns them.
 *
 * <p>Counters cover the simulated API ({@code /v1/*} and {@code /health}), not the admin endpoints.
 * {@code inFlight} and {@code openConnections} are gauges: a test that has finished its requests
 * and closed its client should see both at 0, which is how leaks show.
 *
 * @param totalRequests requests received since start or the last reset
 * @param requestsByEndpoint requests per endpoint ({@code chat.completions}, {@code messages},
 *     {@code models}, {@code health}, {@code not_found})
 * @param faultsInjected injected faults per fault wire name
 * @param responsesByStatus HTTP status codes sent, per code (reset and stalled requests send none)
 * @param rateLimited requests refused by the tokens-per-minute limit
 * @param completionTokens completion tokens the simulator planned to send
 * @param continuations valid completion requests whose messages end with an assistant message, or
 *     with an assistant message and one user message: what a gateway sends to resume an answer
 *     broken mid-stream (ordinary follow-up turns count too)
 * @param tokensByMinute prompt plus completion tokens of the answers the simulator agreed to serve
 *     (not rate-limited), per UTC minute in which the request arrived, keyed by the minute's start
 *     in epoch milliseconds; the last 120 minutes. This is the upstream's own count of what got
 *     through, which a quota benchmark compares with the tenant's per-minute budget
 * @param inFlight requests received whose response has not ended or been aborted yet
 * @param openConnections TCP connections currently open, the one asking included
 */
public record SimulatorStats(
    long totalRequests,
    Map<String, Long> requestsByEndpoint,
    Map<String, Long> faultsInjected,
    Map<String, Long> responsesByStatus,
    long rateLimited,
    long completionTokens,
    long continuations,
    Map<String, Long> tokensByMinute,
    long inFlight,
    long openConnections) {

  public SimulatorStats {
    requestsByEndpoint = Map.copyOf(requestsByEndpoint);
    faultsInjected = Map.copyOf(faultsInjected);
    responsesByStatus = Map.copyOf(responsesByStatus);
    tokensByMinute = Map.copyOf(tokensByMinute);
  }

  /** Requests seen on one endpoint, 0 if none. */
  public long requests(String endpoint) {
    return requestsByEndpoint.getOrDefault(endpoint, 0L);
  }

  /** Times one fault was injected, 0 if never. */
  public long faults(Fault fault) {
    return faultsInjected.getOrDefault(fault.wireName(), 0L);
  }

  /** Responses sent with one status code, 0 if none. */
  public long responses(int status) {
    return responsesByStatus.getOrDefault(Integer.toString(status), 0L);
  }
}
