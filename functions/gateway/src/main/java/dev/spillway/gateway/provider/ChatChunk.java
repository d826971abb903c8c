package dev.spillway.gateway.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.usage.TokenUsage;

/**
 * One {@code chat.completion.chunk}, with the facts the gateway needs pulled out once.
 *
 * @param json the chunk in OpenAI's shape
 * @param encoded the chunk's JSON text when it arrived as text from an OpenAI-compatible upstream
 *     (relayed as is, saving a re-encode per chunk), or null
 * @param text output text in this chunk: content deltas plus tool-call argument fragments
 * @param usage usage carried by this chunk, or null
 * @param finishReason the choice's finish reason, or null
 * @param output true when the chunk carries output (text, a tool call, or a finish reason), as
 *     opposed to a bare role announcement or a usage report
 */
public record ChatChunk(
    ObjectNode json,
    String encoded,
    String text,
    TokenUsage usage,
    String finishReason,
    boolean output) {

  /** Reads the facts out of a chunk in OpenAI's shape. */
  public static ChatChunk of(ObjectNode json, String encoded) {
    StringBuilder text = new StringBuilder();
    String finishReason = null;
    boolean output = false;
    for (JsonNode choice : json.path("choices")) {
      JsonNode delta = choice.path("delta");
      JsonNode content = delta.get("content");
      if (content != null && content.isTextual() && !content.asText().isEmpty()) {
        text.append(content.asText());
        output = true;
      }
      for (JsonNode call : delta.path("tool_calls")) {
        output = true;
        JsonNode function = call.path("function");
        text.append(function.path("name").asText(""));
        text.append(function.path("arguments").asText(""));
      }
      JsonNode refusal = delta.get("refusal");
      if (refusal != null && refusal.isTextual() && !refusal.asText().isEmpty()) {
        text.append(refusal.asText());
        output = true;
      }
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && finish.isTextual()) {
        finishReason = finish.asText();
        output = true;
      }
    }
    return new ChatChunk(
        json, encoded, text.toString(), usageOf(json.get("usage")), finishReason, output);
  }

  /** True for the usage-only chunk that {@code stream_options.include_usage} adds at the end. */
  public boolean isUsageOnly() {
    return usage != null && json.path("choices").isEmpty();
  }

  /** OpenAI's {@code usage} object, or null when absent or null. */
  public static TokenUsage usageOf(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    JsonNode prompt = usage.get("prompt_tokens");
    JsonNode completion = usage.get("completion_tokens");
    if (prompt == null || completion == null || !prompt.canConvertToInt()) {
      return null;
    }
    return TokenUsage.reported(prompt.asInt(), completion.asInt());
  }
}
