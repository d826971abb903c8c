package dev.spillway.simulator.completion;

import java.util.OptionalInt;

/**
 * A chat request reduced to what the simulator needs, whatever the wire dialect.
 *
 * @param model the model name as sent, directives included
 * @param stream whether the client asked for a server-sent event stream
 * @param includeUsage whether a streamed answer should carry usage (OpenAI {@code
 *     stream_options.include_usage}; always true for Anthropic)
 * @param promptTokens estimated prompt tokens: characters of all message text divided by 4, rounded
 *     up
 * @param maxTokens the output token limit, if the request set one
 * @param output the kind of answer asked for
 * @param continuation whether the messages end with an assistant message, or with an assistant
 *     message and one user message after it: a request to continue an answer cut short (or an
 *     Anthropic-style prefill, or simply the next turn of a conversation)
 * @param lastUserText the text of the last user message (null: none), what outcome replay looks up
 */
public record CompletionRequest(
    String model,
    boolean stream,
    boolean includeUsage,
    int promptTokens,
    OptionalInt maxTokens,
    OutputShape output,
    boolean continuation,
    String lastUserText) {

  /** A request whose prompt text is not needed (no outcome replay). */
  public CompletionRequest(
      String model,
      boolean stream,
      boolean includeUsage,
      int promptTokens,
      OptionalInt maxTokens,
      OutputShape output,
      boolean continuation) {
    this(model, stream, includeUsage, promptTokens, maxTokens, output, continuation, null);
  }

  /** The prompt-token estimate for a number of characters of message text. */
  public static int estimateTokens(long characters) {
    return (int) Math.min(Integer.MAX_VALUE, (characters + 3) / 4);
  }
}
