package dev.spillway.gateway.quota;

/** A call to the quota function failed: transport error, timeout, or a non-2xx answer. */
public final class QuotaUnavailableException extends RuntimeException {
  public QuotaUnavailableException(String message) {
    super(message, null, false, false);
  }
}
