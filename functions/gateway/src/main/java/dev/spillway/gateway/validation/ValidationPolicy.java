package dev.spillway.gateway.validation;

/**
 * Which checks a route runs on upstream answers. Immutable; build one per route at start-up.
 *
 * <p>Each rule costs little and guards against a failure that providers really produce under load
 * or after a bad deploy; {@link #defaults()} turns on all but {@link #requireUsage}, which only
 * routes that bill by reported usage need.
 *
 * @param emptyContent flag {@code finish_reason: stop} with no content, no tool call and no
 *     refusal. Default {@code true}.
 * @param minLengthTokens flag {@code finish_reason: length} with fewer completion tokens than this,
 *     unless the client's own {@code max_tokens} explains the cut; {@code 0} turns the rule off.
 *     Default {@code 16}: a cut that short with no {@code max_tokens} to explain it is nearly
 *     always an upstream ending generations early under load; the honest exception, a prompt that
 *     fills the context window, is also better served by another route.
 * @param json when the request's {@code response_format} asks for JSON, require the content to
 *     parse (and to match the JSON Schema, when one was given). Default {@code true}.
 * @param repetition flag output that ends in a degenerate loop, see {@link RepetitionDetector}.
 *     Default {@code true}.
 * @param requireUsage flag an answer that reports no token usage. Default {@code false}: many
 *     OpenAI-compatible servers omit usage on streams, and the gateway can count tokens itself.
 */
public record ValidationPolicy(
    boolean emptyContent,
    int minLengthTokens,
    boolean json,
    boolean repetition,
    boolean requireUsage) {

  public ValidationPolicy {
    if (minLengthTokens < 0) {
      throw new IllegalArgumentException("minLengthTokens cannot be negative: " + minLengthTokens);
    }
  }

  /** Every rule on except {@code requireUsage}; a minimum of 16 tokens on length cuts. */
  public static ValidationPolicy defaults() {
    return new ValidationPolicy(true, 16, true, true, false);
  }

  /** Every rule off: answers pass as the upstream sent them. */
  public static ValidationPolicy none() {
    return new ValidationPolicy(false, 0, false, false, false);
  }

  /** True when at least one rule is on, so that a caller can skip validation entirely. */
  public boolean any() {
    return emptyContent || minLengthTokens > 0 || json || repetition || requireUsage;
  }
}
