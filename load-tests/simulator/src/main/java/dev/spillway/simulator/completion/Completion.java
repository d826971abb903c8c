package dev.spillway.simulator.completion;

import java.util.List;

/**
 * The answer the simulator will send for one request, before it is shaped into a wire dialect.
 * Immutable.
 *
 * @param uid unique part of the response, message and tool-call ids
 * @param created creation time in epoch seconds
 * @param model the model name to echo, without directives
 * @param toolName the called tool, or {@code null} for a text answer
 * @param pieces the tokens in order: text pieces, or fragments of the tool arguments
 * @param finish why the answer ends
 * @param promptTokens prompt tokens to report
 * @param includeUsage whether a stream should end with usage
 * @param omitUsage whether usage is left out everywhere (a misbehaving upstream)
 */
public record Completion(
    String uid,
    long created,
    String model,
    String toolName,
    List<String> pieces,
    Finish finish,
    int promptTokens,
    boolean includeUsage,
    boolean omitUsage) {

  /** Why an answer ends, in dialect-neutral terms. */
  public enum Finish {
    /** Natural end of the answer. */
    STOP,
    /** Cut by the request's output token limit. */
    LENGTH,
    /** Ended with a tool call. */
    TOOL_CALL
  }

  public Completion {
    pieces = List.copyOf(pieces);
  }

  /** Whether the answer is a tool call rather than text. */
  public boolean isToolCall() {
    return toolName != null;
  }

  /** Tokens the answer consists of. */
  public int completionTokens() {
    return pieces.size();
  }

  /** The pieces joined: the text, or the tool arguments as JSON text. */
  public String text() {
    return String.join("", pieces);
  }
}
