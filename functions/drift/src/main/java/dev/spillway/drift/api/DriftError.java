package dev.spillway.drift.api;

import dev.spillway.problems.ErrorKind;

/**
 * The drift function's error family: every way a request can fail, with its HTTP status and its
 * problem+json {@code code}. Rendered in one place, {@link ProblemResponses}. It has a member named
 * after each of {@link dev.spillway.problems.WebFailures.Standard}'s (the framework's own
 * failures).
 */
public enum DriftError implements ErrorKind {
  INVALID_REQUEST(400, "Invalid request", "invalid_request"),
  INVALID_JSON(400, "Malformed JSON", "invalid_json"),
  UNAUTHORIZED(401, "Unauthorized", "unauthorized"),
  FORBIDDEN(403, "Forbidden", "forbidden"),
  NOT_FOUND(404, "Not found", "not_found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed", "method_not_allowed"),
  CONFLICT(409, "Conflict", "conflict"),
  BODY_TOO_LARGE(413, "Request too large", "request_too_large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type", "unsupported_media_type"),
  /** The request is well-formed but the data cannot support it (a reference too small, say). */
  UNPROCESSABLE(422, "Unprocessable request", "unprocessable"),
  /** The embedding function or the quota function did not answer. */
  DEPENDENCY_UNAVAILABLE(503, "Dependency unavailable", "dependency_unavailable"),
  INTERNAL(500, "Internal error", "internal_error");

  private final int status;
  private final String title;
  private final String code;

  DriftError(int status, String title, String code) {
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
