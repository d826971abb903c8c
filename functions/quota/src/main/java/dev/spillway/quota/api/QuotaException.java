package dev.spillway.quota.api;

/**
 * A request that fails with one of the quota function's {@link QuotaError}s; {@code detail} is safe
 * to show the client (no keys, no other tenant's data).
 *
 * @see ProblemResponses for how it reaches the client
 */
public final class QuotaException extends RuntimeException {

  private final QuotaError error;

  public QuotaException(QuotaError error, String detail) {
    super(detail, null, false, false);
    this.error = error;
  }

  public QuotaError error() {
    return error;
  }

  public static QuotaException invalid(String detail) {
    return new QuotaException(QuotaError.INVALID_REQUEST, detail);
  }

  public static QuotaException notFound(String detail) {
    return new QuotaException(QuotaError.NOT_FOUND, detail);
  }
}
