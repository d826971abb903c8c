package dev.spillway.usage;

/**
 * Tokens one request consumed.
 *
 * @param promptTokens tokens sent to the model
 * @param completionTokens tokens the model produced
 * @param counted true when the gateway counted them itself because the upstream reported none
 */
public record TokenUsage(int promptTokens, int completionTokens, boolean counted) {

  public TokenUsage {
    if (promptTokens < 0 || completionTokens < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  /** Usage as the upstream reported it. */
  public static TokenUsage reported(int promptTokens, int completionTokens) {
    return new TokenUsage(promptTokens, completionTokens, false);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
