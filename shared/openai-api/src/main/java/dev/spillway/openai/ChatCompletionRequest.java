package dev.spillway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A validated Chat Completions request: the typed fields the gateway reasons about, plus the
 * original JSON so that fields it does not model still reach OpenAI-compatible upstreams.
 *
 * <p>Built only by {@link ChatCompletionRequestParser}; the {@code raw} node must not be mutated
 * (providers copy it before rewriting {@code model}).
 *
 * @param raw the request body as received
 * @param model the client-facing model name
 * @param maxTokens {@code max_completion_tokens} or else {@code max_tokens}; null when absent
 * @param temperature null when absent
 * @param topP null when absent
 * @param stop stop sequences; empty when absent
 * @param toolChoice {@code tool_choice} as sent (string or object); null when absent
 * @param user the end-user id; null when absent
 */
public record ChatCompletionRequest(
    ObjectNode raw,
    String model,
    List<ChatMessage> messages,
    boolean stream,
    boolean includeUsage,
    Integer maxTokens,
    Double temperature,
    Double topP,
    List<String> stop,
    List<ToolDefinition> tools,
    JsonNode toolChoice,
    ResponseFormat responseFormat,
    String user) {

  public ChatCompletionRequest {
    messages = List.copyOf(messages);
    stop = List.copyOf(stop);
    tools = List.copyOf(tools);
  }
}
