package dev.spillway.openai;

/**
 * A client's request that does not satisfy the Chat Completions contract.
 *
 * <p>Thrown by {@link ChatCompletionRequestParser}; it always names the field at fault so the
 * client sees {@code param} filled in the OpenAI error shape. The message never quotes the client's
 * content, only the field path and what was expected.
 */
public final class InvalidRequestException extends RuntimeException {
  private final String param;

  public InvalidRequestException(String param, String message) {
    super(message, null, false, false);
    this.param = param;
  }

  /** The JSON path of the offending field, e.g. {@code messages[2].role}; null for the body. */
  public String param() {
    return param;
  }
}
