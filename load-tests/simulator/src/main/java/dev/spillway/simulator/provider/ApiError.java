package dev.spillway.simulator.provider;

/** The error kinds the simulator answers with, each with its HTTP status. */
public enum ApiError {
  INVALID_REQUEST(400),
  AUTHENTICATION(401),
  NOT_FOUND(404),
  RATE_LIMITED(429),
  SERVER_ERROR(500),
  UNAVAILABLE(503);

  private final int status;

  ApiError(int status) {
    this.status = status;
  }

  /** The HTTP status this error is sent with. */
  public int status() {
    return status;
  }
}
