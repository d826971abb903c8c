package dev.spillway.simulator.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.completion.Completion;
import dev.spillway.simulator.completion.CompletionRequest;

/**
 * One upstream wire dialect (OpenAI Chat Completions, Anthropic Messages): how requests are read
 * and how answers and errors are written. Implementations are stateless and thread-safe; the
 * encoders they hand out belong to one response.
 */
public interface ProviderDialect {

  /**
   * Reads a parsed request body.
   *
   * @throws InvalidRequestException naming the field that is missing or malformed
   */
  CompletionRequest parse(JsonNode body);

  /** The JSON body of a complete, non-streamed answer. */
  String completionBody(Completion completion);

  /**
   * The beginning of {@link #completionBody}: everything up to the end of the answer's first {@code
   * tokens} tokens, which is what a client holds when the upstream breaks there.
   *
   * @param tokens in [0, {@link Completion#completionTokens()}]
   */
  String completionBodyPrefix(Completion completion, int tokens);

  /** An encoder for the server-sent events of one streamed answer. */
  StreamEncoder streamEncoder(Completion completion);

  /** The JSON body of an error response. */
  String errorBody(ApiError error, String message, String param);

  /**
   * Writes the server-sent events of one streamed answer. Not thread-safe: it belongs to one
   * response, which runs on one event loop.
   */
  interface StreamEncoder {

    /** Events sent before the first token (role chunk, or message and block start). */
    void start(StringBuilder out);

    /** The event carrying the piece at {@code index}. */
    void piece(int index, StringBuilder out);

    /** Events after the last token: finish reason, usage if asked for, terminator. */
    void end(StringBuilder out);

    /** One frame whose data is not valid JSON, for the {@code malformed-body} fault. */
    void malformedFrame(StringBuilder out);
  }
}
