package dev.spillway.gateway.api;

/**
 * The gateway's error family: every way a {@code /v1/*} request can fail, with its HTTP status and
 * its OpenAI error {@code type} and {@code code}. Rendered in one place, {@link ErrorResponses}.
 */
public enum ApiError {
  INVALID_REQUEST(400, "invalid_request_error", null),
  INVALID_JSON(400, "invalid_request_error", "invalid_json"),
  UNAUTHORIZED(401, "invalid_request_error", "invalid_api_key"),
  MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
  /** No endpoint at this path. */
  NOT_FOUND(404, "invalid_request_error", "unknown_url"),
  /** Feedback names a request the caller's tenant does not have. */
  REQUEST_NOT_FOUND(404, "invalid_request_error", "request_not_found"),
  METHOD_NOT_ALLOWED(405, "invalid_request_error", "method_not_allowed"),
  BODY_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "invalid_request_error", "unsupported_media_type"),
  /** An upstream refused the request itself; the status is the upstream's (a 4xx). */
  UPSTREAM_REJECTED(400, "invalid_request_error", "upstream_rejected"),
  /**
   * Answers kept failing a constraint of the client's own request (its JSON schema, its stop
   * sequences, its max_tokens); the param names the field to change.
   */
  CONSTRAINTS_UNSATISFIED(422, "invalid_request_error", "constraints_unsatisfied"),
  UPSTREAM_RATE_LIMITED(429, "rate_limit_error", "upstream_rate_limited"),
  /** One of the caller's budgets (tokens, requests, money, concurrency) has no room. */
  RATE_LIMIT_EXCEEDED(429, "rate_limit_error", "rate_limit_exceeded"),
  /** The quota function is unreachable and the caller's tier fails closed. */
  QUOTA_UNAVAILABLE(503, "server_error", "quota_unavailable"),
  UPSTREAM_FAILED(502, "upstream_error", "upstream_unavailable"),
  UPSTREAM_TIMEOUT(504, "upstream_error", "upstream_timeout"),
  /** The gateway's admission control refused the request: every target's provider is full. */
  OVERLOADED(503, "server_error", "overloaded"),
  /** Every target's circuit breaker is open. */
  CIRCUIT_OPEN(503, "upstream_error", "circuit_open"),
  /** The request's deadline (the client's, or the route's) passed. */
  DEADLINE_EXCEEDED(504, "timeout_error", "deadline_exceeded"),
  INTERNAL(500, "server_error", "internal_error");

  private final int status;
  private final String type;
  private final String code;

  ApiError(int status, String type, String code) {
    this.status = status;
    this.type = type;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }
}
