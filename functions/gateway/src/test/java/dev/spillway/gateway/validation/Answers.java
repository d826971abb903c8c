package dev.spillway.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.usage.TokenUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream answer that tests can hand to the validator both ways: as a whole {@link Completion}
 * and as the {@link ChatChunk}s a stream of it would carry.
 *
 * @param content message content, or null
 * @param toolName name of the one tool called, or null for none
 * @param toolArguments that call's arguments
 * @param refusal refusal text, or null
 * @param finishReason finish reason, or null
 * @param usage reported usage, or null
 */
record Answers(
    String content,
    String toolName,
    String toolArguments,
    String refusal,
    String finishReason,
    TokenUsage usage) {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final ChatCompletionRequestParser PARSER = new ChatCompletionRequestParser();

  static Answers text(String content, String finishReason) {
    return new Answers(content, null, null, null, finishReason, TokenUsage.reported(20, 100));
  }

  Answers withUsage(TokenUsage usage) {
    return new Answers(content, toolName, toolArguments, refusal, finishReason, usage);
  }

  static Answers toolCall(String name, String arguments) {
    return new Answers(null, name, arguments, null, "tool_calls", TokenUsage.reported(20, 30));
  }

  static Answers refused(String refusal) {
    return new Answers(null, null, null, refusal, "stop", TokenUsage.reported(20, 10));
  }

  /** A minimal valid request with the given extra top-level fields, as JSON text. */
  static ChatCompletionRequest request(String extraFields) {
    String body =
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
            + (extraFields.isEmpty() ? "" : "," + extraFields)
            + "}";
    try {
      return PARSER.parse(JSON.readTree(body));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static ChatCompletionRequest request() {
    return request("");
  }

  static ChatCompletionRequest jsonObjectRequest() {
    return request("\"response_format\":{\"type\":\"json_object\"}");
  }

  static ChatCompletionRequest jsonSchemaRequest(String schema) {
    return request(
        "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"s\",\"schema\":"
            + schema
            + "}}");
  }

  Completion completion() {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "m");
    ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    if (refusal != null) {
      message.put("refusal", refusal);
    }
    if (toolName != null) {
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_1").put("type", "function");
      call.putObject("function").put("name", toolName).put("arguments", toolArguments);
    }
    choice.put("finish_reason", finishReason);
    return new Completion(body, usage);
  }

  /** The stream of this answer, its text split into pieces of {@code size} characters. */
  List<ChatChunk> chunks(int size) {
    List<ChatChunk> chunks = new ArrayList<>();
    ObjectNode role = chunk();
    role.putArray("choices").addObject().putObject("delta").put("role", "assistant");
    chunks.add(ChatChunk.of(role, null));
    if (content != null) {
      for (String piece : pieces(content, size)) {
        ObjectNode chunk = chunk();
        chunk.putArray("choices").addObject().putObject("delta").put("content", piece);
        chunks.add(ChatChunk.of(chunk, null));
      }
    }
    if (toolName != null) {
      ObjectNode start = chunk();
      ObjectNode call =
          start
              .putArray("choices")
              .addObject()
              .putObject("delta")
              .putArray("tool_calls")
              .addObject();
      call.put("index", 0).put("id", "call_1").put("type", "function");
      call.putObject("function").put("name", toolName).put("arguments", "");
      chunks.add(ChatChunk.of(start, null));
      for (String piece : pieces(toolArguments, size)) {
        ObjectNode chunk = chunk();
        ObjectNode fragment =
            chunk
                .putArray("choices")
                .addObject()
                .putObject("delta")
                .putArray("tool_calls")
                .addObject();
        fragment.put("index", 0).putObject("function").put("arguments", piece);
        chunks.add(ChatChunk.of(chunk, null));
      }
    }
    if (refusal != null) {
      for (String piece : pieces(refusal, size)) {
        ObjectNode chunk = chunk();
        chunk.putArray("choices").addObject().putObject("delta").put("refusal", piece);
        chunks.add(ChatChunk.of(chunk, null));
      }
    }
    ObjectNode last = chunk();
    ObjectNode choice = last.putArray("choices").addObject();
    choice.putObject("delta");
    choice.put("finish_reason", finishReason);
    chunks.add(ChatChunk.of(last, null));
    if (usage != null) {
      ObjectNode usageChunk = chunk();
      usageChunk.putArray("choices");
      usageChunk
          .putObject("usage")
          .put("prompt_tokens", usage.promptTokens())
          .put("completion_tokens", usage.completionTokens())
          .put("total_tokens", usage.totalTokens());
      chunks.add(ChatChunk.of(usageChunk, null));
    }
    return chunks;
  }

  /** The text a stream of this answer carries, in the order ChatChunk reads it. */
  String outputText() {
    return (content == null ? "" : content)
        + (toolName == null ? "" : toolName + toolArguments)
        + (refusal == null ? "" : refusal);
  }

  private static ObjectNode chunk() {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", "m");
    return chunk;
  }

  private static List<String> pieces(String text, int size) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < text.length(); i += size) {
      pieces.add(text.substring(i, Math.min(text.length(), i + size)));
    }
    return pieces;
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
