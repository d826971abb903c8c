package dev.spillway.embedding.error;

/**
 * A request that fails with one of the function's {@link ApiError}s.
 *
 * @see ErrorResponses for how it reaches the client
 */
public final class ApiException extends RuntimeException {

  private final ApiError error;
  private final String param;
  private final long retryAfterSeconds;

  public ApiException(ApiError error, String param, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.error = error;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public ApiException(ApiError error, String param, String message) {
    this(error, param, message, -1);
  }

  /** A 400 about one request field. */
  public static ApiException invalid(String param, String message) {
    return new ApiException(ApiError.INVALID_REQUEST, param, message);
  }

  public ApiError error() {
    return error;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }

  /** The {@code Retry-After} value in seconds, or -1 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
