package dev.spillway.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.usage.TokenUsage;

/**
 * Anthropic Messages answers → OpenAI {@code chat.completion} objects, and the vocabulary both
 * directions share. Stateless and thread-safe.
 */
final class AnthropicResponses {

  private AnthropicResponses() {}

  /** Anthropic's stop reason in OpenAI's words. */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }

  /** OpenAI's {@code chatcmpl-} id for an Anthropic message id. */
  static String completionId(String messageId) {
    return "chatcmpl-" + (messageId == null ? "anthropic" : messageId);
  }

  static ObjectNode usageJson(ObjectMapper mapper, TokenUsage usage) {
    return mapper
        .createObjectNode()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
  }

  /** A non-streaming message as a {@code chat.completion}; null when it is not a message. */
  static ObjectNode completion(ObjectMapper mapper, JsonNode message, long created) {
    if (!"message".equals(message.path("type").asText()) || !message.path("content").isArray()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    ArrayNode toolCalls = mapper.createArrayNode();
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText()) {
        case "text" -> text.append(block.path("text").asText());
        case "tool_use" -> {
          ObjectNode call = toolCalls.addObject();
          call.put("id", block.path("id").asText());
          call.put("type", "function");
          ObjectNode function = call.putObject("function");
          function.put("name", block.path("name").asText());
          function.put("arguments", block.path("input").toString());
        }
        default -> {
          // thinking and other block kinds have no Chat Completions field.
        }
      }
    }
    ObjectNode completion = mapper.createObjectNode();
    completion.put("id", completionId(message.path("id").asText(null)));
    completion.put("object", "chat.completion");
    completion.put("created", created);
    completion.put("model", message.path("model").asText());
    ObjectNode choice = completion.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode reply = choice.putObject("message");
    reply.put("role", "assistant");
    if (text.isEmpty() && !toolCalls.isEmpty()) {
      reply.putNull("content");
    } else {
      reply.put("content", text.toString());
    }
    if (!toolCalls.isEmpty()) {
      reply.set("tool_calls", toolCalls);
    }
    reply.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(message.path("stop_reason").asText(null)));
    TokenUsage usage = usage(message.path("usage"));
    if (usage != null) {
      completion.set("usage", usageJson(mapper, usage));
    }
    return completion;
  }

  /** Anthropic's usage object, or null. Cache reads and writes are prompt tokens too. */
  static TokenUsage usage(JsonNode usage) {
    if (!usage.isObject() || !usage.has("input_tokens")) {
      return null;
    }
    int input =
        usage.path("input_tokens").asInt()
            + usage.path("cache_creation_input_tokens").asInt(0)
            + usage.path("cache_read_input_tokens").asInt(0);
    return TokenUsage.reported(input, usage.path("output_tokens").asInt());
  }
}
