package dev.spillway.gateway.api;

/**
 * A request that fails with one of the gateway's {@link ApiError}s.
 *
 * @see ErrorResponses for how it reaches the client
 */
public final class ApiException extends RuntimeException {

  private final ApiError error;
  private final String param;
  private final long retryAfterSeconds;
  private final long retryAfterMillis;

  public ApiException(ApiError error, String param, String message) {
    this(error, param, message, -1);
  }

  /**
   * @param retryAfterSeconds the {@code Retry-After} to send, or -1 for none
   */
  public ApiException(ApiError error, String param, String message, long retryAfterSeconds) {
    this(
        error,
        param,
        message,
        retryAfterSeconds,
        retryAfterSeconds < 0 ? -1 : retryAfterSeconds * 1000);
  }

  /**
   * @param retryAfterSeconds the {@code Retry-After} to send (whole seconds, rounded up), or -1
   * @param retryAfterMillis the exact wait, sent as {@code retry-after-ms} (which OpenAI's SDKs
   *     prefer to {@code Retry-After}), or -1 for none
   */
  public ApiException(
      ApiError error, String param, String message, long retryAfterSeconds, long retryAfterMillis) {
    super(message, null, false, false);
    this.error = error;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
    this.retryAfterMillis = retryAfterMillis;
  }

  public ApiException(ApiError error, String message) {
    this(error, null, message);
  }

  public ApiError error() {
    return error;
  }

  /** The {@code Retry-After} in seconds, or -1 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The exact wait in milliseconds ({@code retry-after-ms}), or -1 for none. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }
}
