package dev.spillway.gateway.api;

/** Response headers the gateway adds. */
final class SpillwayHeaders {
  static final String REQUEST_ID = "x-request-id";
  static final String PROVIDER = "x-spillway-provider";
  static final String UPSTREAM_MODEL = "x-spillway-upstream-model";
  static final String COST_USD = "x-spillway-cost-usd";
  static final String ATTEMPTS = "x-spillway-attempts";

  /** Client deadline for the whole request, in milliseconds. */
  static final String TIMEOUT_MS = "x-spillway-timeout-ms";

  /** SSE comment on a stream continued on another target after a break: which one finished it. */
  static final String RECOVERED = "x-spillway-recovered";

  /** The task category an {@code auto} route routed the request for (response). */
  static final String ROUTE_CATEGORY = "x-spillway-route-category";

  /**
   * Why an {@code auto} route chose its first target (response): {@code floor}, {@code breaker}…
   */
  static final String ROUTE_REASON = "x-spillway-route-reason";

  /** The task category a client names for its request to an {@code auto} route (request). */
  static final String CATEGORY = "x-spillway-category";

  private SpillwayHeaders() {}
}
