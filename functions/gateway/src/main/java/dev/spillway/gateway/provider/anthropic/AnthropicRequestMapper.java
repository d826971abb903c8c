package dev.spillway.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatMessage;
import dev.spillway.openai.ContentPart;
import dev.spillway.openai.InvalidRequestException;
import dev.spillway.openai.ResponseFormat;
import dev.spillway.openai.Role;
import dev.spillway.openai.ToolCall;
import dev.spillway.openai.ToolDefinition;
import java.io.IOException;

/**
 * OpenAI Chat Completions request → Anthropic Messages request.
 *
 * <p>The differences it bridges: system and developer messages become the top-level {@code system};
 * tool calls become {@code tool_use} blocks and tool messages {@code tool_result} blocks in a user
 * turn; consecutive turns of one role merge, because Anthropic requires user and assistant to
 * alternate; {@code max_tokens} is mandatory there; JSON mode has no switch there, so it becomes an
 * instruction. Stateless and thread-safe.
 */
final class AnthropicRequestMapper {

  /** Anthropic's temperature range is 0..1, OpenAI's 0..2. */
  private static final double MAX_TEMPERATURE = 1.0;

  static final String JSON_INSTRUCTION =
      "Answer with a single valid JSON document only: no prose, no code fences.";

  private final ObjectMapper mapper;
  private final int defaultMaxTokens;

  AnthropicRequestMapper(ObjectMapper mapper, int defaultMaxTokens) {
    this.mapper = mapper;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  ObjectNode map(ChatCompletionRequest request, String model, boolean stream) {
    ObjectNode body = mapper.createObjectNode();
    body.put("model", model);
    body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens);
    if (stream) {
      body.put("stream", true);
    }
    String system = system(request);
    if (!system.isEmpty()) {
      body.put("system", system);
    }
    body.set("messages", messages(request));
    if (request.temperature() != null) {
      body.put("temperature", Math.min(request.temperature(), MAX_TEMPERATURE));
    } else if (request.topP() != null) {
      // Current Claude models refuse temperature and top_p together; temperature wins.
      body.put("top_p", request.topP());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (request.user() != null) {
      body.putObject("metadata").put("user_id", request.user());
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode t = tools.addObject();
        t.put("name", tool.name());
        if (tool.description() != null) {
          t.put("description", tool.description());
        }
        t.set(
            "input_schema",
            tool.parameters() != null
                ? tool.parameters()
                : mapper.createObjectNode().put("type", "object"));
      }
      ObjectNode choice = toolChoice(request.toolChoice());
      JsonNode parallel = request.raw().get("parallel_tool_calls");
      if (parallel != null && parallel.isBoolean() && !parallel.asBoolean()) {
        if (choice == null) {
          choice = mapper.createObjectNode().put("type", "auto");
        }
        choice.put("disable_parallel_tool_use", true);
      }
      if (choice != null) {
        body.set("tool_choice", choice);
      }
    }
    return body;
  }

  private static String system(ChatCompletionRequest request) {
    StringBuilder system = new StringBuilder();
    for (ChatMessage message : request.messages()) {
      if (message.role().isInstruction()) {
        if (!system.isEmpty()) {
          system.append("\n\n");
        }
        system.append(message.text());
      }
    }
    if (request.responseFormat().wantsJson()) {
      if (!system.isEmpty()) {
        system.append("\n\n");
      }
      system.append(JSON_INSTRUCTION);
      if (request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA
          && request.responseFormat().schema() != null) {
        system
            .append(" It must match this JSON Schema: ")
            .append(request.responseFormat().schema());
      }
    }
    return system.toString();
  }

  private ArrayNode messages(ChatCompletionRequest request) {
    // Anthropic refuses tool_use/tool_result blocks in a request without tools: a conversation
    // whose history used tools, sent without them, carries that history as text.
    boolean toolBlocks = !request.tools().isEmpty();
    ArrayNode messages = mapper.createArrayNode();
    ObjectNode current = null;
    String currentRole = null;
    for (ChatMessage message : request.messages()) {
      if (message.role().isInstruction()) {
        continue;
      }
      ArrayNode blocks = blocks(message, toolBlocks);
      if (blocks.isEmpty()) {
        // Anthropic refuses empty turns that OpenAI accepts ("", audio only…): skip them.
        continue;
      }
      String role = message.role() == Role.ASSISTANT ? "assistant" : "user";
      if (!role.equals(currentRole)) {
        current = messages.addObject();
        current.put("role", role);
        current.putArray("content");
        currentRole = role;
      }
      ((ArrayNode) current.get("content")).addAll(blocks);
    }
    if (messages.isEmpty()) {
      throw new InvalidRequestException(
          "messages",
          "messages needs at least one user or assistant message with content for this model.");
    }
    return messages;
  }

  private ArrayNode blocks(ChatMessage message, boolean toolBlocks) {
    ArrayNode blocks = mapper.createArrayNode();
    if (message.role() == Role.TOOL) {
      if (toolBlocks) {
        ObjectNode result = blocks.addObject();
        result.put("type", "tool_result");
        result.put("tool_use_id", message.toolCallId());
        result.put("content", message.text());
      } else {
        blocks.addObject().put("type", "text").put("text", "Tool result: " + message.text());
      }
      return blocks;
    }
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text && !text.text().isEmpty()) {
        blocks.addObject().put("type", "text").put("text", text.text());
      } else if (part instanceof ContentPart.Image image) {
        blocks.add(imageBlock(image));
      }
      // Audio and file parts have no Messages API equivalent the gateway can map faithfully.
    }
    for (ToolCall call : message.toolCalls()) {
      if (toolBlocks) {
        ObjectNode use = blocks.addObject();
        use.put("type", "tool_use");
        use.put("id", call.id());
        use.put("name", call.name());
        use.set("input", arguments(call.arguments()));
      } else {
        blocks
            .addObject()
            .put("type", "text")
            .put("text", "Called tool " + call.name() + " with " + call.arguments());
      }
    }
    return blocks;
  }

  private ObjectNode imageBlock(ContentPart.Image image) {
    ObjectNode block = mapper.createObjectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    String url = image.url();
    int comma = url.indexOf(',');
    if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
      source.put("type", "base64");
      source.put("media_type", url.substring(5, comma - ";base64".length()));
      source.put("data", url.substring(comma + 1));
    } else {
      source.put("type", "url");
      source.put("url", url);
    }
    return block;
  }

  /** Tool arguments are JSON text from the model; a malformed one is passed as an empty object. */
  private JsonNode arguments(String arguments) {
    try {
      JsonNode parsed = mapper.readTree(arguments);
      return parsed != null && parsed.isObject() ? parsed : mapper.createObjectNode();
    } catch (IOException e) {
      return mapper.createObjectNode();
    }
  }

  private ObjectNode toolChoice(JsonNode choice) {
    if (choice == null) {
      return null;
    }
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "required" -> mapper.createObjectNode().put("type", "any");
        case "none" -> mapper.createObjectNode().put("type", "none");
        default -> mapper.createObjectNode().put("type", "auto");
      };
    }
    return mapper
        .createObjectNode()
        .put("type", "tool")
        .put("name", choice.path("function").path("name").asText());
  }
}
