package dev.spillway.simulator.provider;

/**
 * A request the simulator cannot answer as asked; becomes a 400 in the dialect's error shape. The
 * message names the offending field and never echoes request content.
 */
public final class InvalidRequestException extends RuntimeException {

  private final String param;

  /**
   * @param message what is wrong, naming the field
   * @param param the offending field, or {@code null} when the body as a whole is wrong
   */
  public InvalidRequestException(String message, String param) {
    super(message, null, false, false);
    this.param = param;
  }

  /** The offending field, or {@code null}. */
  public String param() {
    return param;
  }
}
