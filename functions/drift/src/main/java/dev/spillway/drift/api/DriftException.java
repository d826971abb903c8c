package dev.spillway.drift.api;

/**
 * A request that fails with one of the drift function's {@link DriftError}s; {@code detail} is safe
 * to show the client (no keys, no other tenant's data).
 *
 * @see ProblemResponses for how it reaches the client
 */
public final class DriftException extends RuntimeException {

  private final DriftError error;

  public DriftException(DriftError error, String detail) {
    super(detail, null, false, false);
    this.error = error;
  }

  public DriftError error() {
    return error;
  }

  public static DriftException invalid(String detail) {
    return new DriftException(DriftError.INVALID_REQUEST, detail);
  }

  public static DriftException notFound(String detail) {
    return new DriftException(DriftError.NOT_FOUND, detail);
  }

  public static DriftException unprocessable(String detail) {
    return new DriftException(DriftError.UNPROCESSABLE, detail);
  }
}
