package dev.spillway.gateway.api;

/**
 * A request that fails with one of the gateway's {@link ApiError}s.
 *
 * @see ErrorResponses for how it reaches the client
 */
public final class ApiException extends RuntimeException {

  private final ApiError error;
  private final String param;

  public ApiException(ApiError error, String param, String message) {
    super(message, null, false, false);
    this.error = error;
    this.param = param;
  }

  public ApiException(ApiError error, String message) {
    this(error, null, message);
  }

  public ApiError error() {
    return error;
  }

  /** The request field at fault, or null. */
  public String param() {
    return param;
  }
}
