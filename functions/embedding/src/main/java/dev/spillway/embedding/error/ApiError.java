package dev.spillway.embedding.error;

/**
 * The embedding function's error family: every way a {@code /v1/*} request can fail, with its HTTP
 * status and its OpenAI error {@code type} and {@code code}. Rendered in one place, {@link
 * ErrorResponses}.
 */
public enum ApiError {
  INVALID_REQUEST(400, "invalid_request_error", "invalid_value"),
  INVALID_JSON(400, "invalid_request_error", "invalid_json"),
  MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
  BODY_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
  /** The model's queue is full; the client should retry after {@code Retry-After}. */
  OVERLOADED(503, "server_error", "overloaded"),
  /** The function is stopping; queued work was abandoned. */
  UNAVAILABLE(503, "server_error", "shutting_down"),
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
