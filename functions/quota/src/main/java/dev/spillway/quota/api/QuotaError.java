package dev.spillway.quota.api;

import dev.spillway.problems.ErrorKind;

/**
 * The quota function's error family: every way a request can fail, with its HTTP status and its
 * problem+json {@code code}. Rendered in one place, {@link ProblemResponses}. It has a member named
 * after each of {@link dev.spillway.problems.WebFailures.Standard}'s (the framework's own
 * failures).
 */
public enum QuotaError implements ErrorKind {
  INVALID_REQUEST(400, "Invalid request", "invalid_request"),
  INVALID_JSON(400, "Malformed JSON", "invalid_json"),
  UNAUTHORIZED(401, "Unauthorized", "unauthorized"),
  FORBIDDEN(403, "Forbidden", "forbidden"),
  NOT_FOUND(404, "Not found", "not_found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed", "method_not_allowed"),
  CONFLICT(409, "Conflict", "conflict"),
  PRECONDITION_FAILED(412, "Precondition failed", "version_mismatch"),
  BODY_TOO_LARGE(413, "Request too large", "request_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", "unsupported_media_type"),
  UNAVAILABLE(503, "Service unavailable", "unavailable"),
  INTERNAL(500, "Internal error", "internal_error");

  private final int status;
  private final String title;
  private final String code;

  QuotaError(int status, String title, String code) {
    this.status = status;
    this.title = title;
    this.code = code;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String title() {
    return title;
  }

  @Override
  public String code() {
    return code;
  }
}
