package dev.spillway.quota.usage;

/** An event whose data cannot be counted; answered with a 400, never retried usefully. */
public final class InvalidEventException extends RuntimeException {

  public InvalidEventException(String message) {
    super(message, null, false, false);
  }
}
