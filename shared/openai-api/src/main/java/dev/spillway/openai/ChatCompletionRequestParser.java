package dev.spillway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a Chat Completions body into a {@link ChatCompletionRequest}, or says which field is wrong.
 *
 * <p>It checks what the gateway itself depends on and what OpenAI would refuse anyway, so a bad
 * request is answered at once with a 400 naming the field instead of costing an upstream round
 * trip. Fields it does not know are left alone: OpenAI-compatible upstreams receive them as sent.
 * Stateless and thread-safe.
 */
public final class ChatCompletionRequestParser {

  private static final int MAX_STOP_SEQUENCES = 4;

  /**
   * Parses a request body.
   *
   * @throws InvalidRequestException naming the first field that breaks the contract
   */
  public ChatCompletionRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException(null, "The request body must be a JSON object.");
    }
    ObjectNode raw = (ObjectNode) body;
    String model = requiredString(raw, "model");
    List<ChatMessage> messages = messages(raw.get("messages"));

    boolean stream = optionalBoolean(raw, "stream", false);
    boolean includeUsage = false;
    JsonNode streamOptions = raw.get("stream_options");
    if (present(streamOptions)) {
      if (!streamOptions.isObject()) {
        throw typeError("stream_options", "an object");
      }
      if (!stream) {
        throw new InvalidRequestException(
            "stream_options", "stream_options is only allowed when stream is true.");
      }
      includeUsage = optionalBoolean((ObjectNode) streamOptions, "include_usage", false);
    }

    JsonNode n = raw.get("n");
    if (present(n)) {
      if (!n.isIntegralNumber() || n.asLong() < 1) {
        throw typeError("n", "a positive integer");
      }
      if (n.asLong() > 1) {
        throw new InvalidRequestException(
            "n", "n > 1 is not supported: send one request per choice you need.");
      }
    }

    Integer maxTokens = positiveInt(raw, "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = positiveInt(raw, "max_tokens");
    }
    Double temperature = numberInRange(raw, "temperature", 0, 2);
    Double topP = numberInRange(raw, "top_p", 0, 1);
    JsonNode seed = raw.get("seed");
    if (present(seed) && !seed.isIntegralNumber()) {
      throw typeError("seed", "an integer");
    }
    List<String> stop = stop(raw.get("stop"));
    List<ToolDefinition> tools = tools(raw.get("tools"));
    JsonNode toolChoice = toolChoice(raw.get("tool_choice"), tools);
    ResponseFormat responseFormat = responseFormat(raw.get("response_format"));
    String user = optionalString(raw, "user");
    metadata(raw.get("metadata"));

    return new ChatCompletionRequest(
        raw,
        model,
        messages,
        stream,
        includeUsage,
        maxTokens,
        temperature,
        topP,
        stop,
        tools,
        toolChoice,
        responseFormat,
        user);
  }

  private static List<ChatMessage> messages(JsonNode node) {
    if (!present(node)) {
      throw new InvalidRequestException("messages", "messages is required.");
    }
    if (!node.isArray()) {
      throw typeError("messages", "an array of message objects");
    }
    if (node.isEmpty()) {
      throw new InvalidRequestException("messages", "messages must contain at least one message.");
    }
    List<ChatMessage> messages = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      messages.add(message(node.get(i), "messages[" + i + "]"));
    }
    return messages;
  }

  private static ChatMessage message(JsonNode node, String path) {
    if (!node.isObject()) {
      throw typeError(path, "a message object");
    }
    JsonNode roleNode = node.get("role");
    if (!present(roleNode)) {
      throw new InvalidRequestException(path + ".role", path + ".role is required.");
    }
    Role role = roleNode.isTextual() ? Role.fromWire(roleNode.asText()) : null;
    if (role == null) {
      throw new InvalidRequestException(
          path + ".role", path + ".role must be one of system, developer, user, assistant, tool.");
    }
    List<ToolCall> toolCalls =
        role == Role.ASSISTANT ? toolCalls(node.get("tool_calls"), path) : List.of();
    List<ContentPart> content = content(node.get("content"), path, role, !toolCalls.isEmpty());
    String toolCallId = null;
    if (role == Role.TOOL) {
      toolCallId = optionalString((ObjectNode) node, "tool_call_id", path);
      if (toolCallId == null) {
        throw new InvalidRequestException(
            path + ".tool_call_id", path + ".tool_call_id is required for a tool message.");
      }
    }
    String name = optionalString((ObjectNode) node, "name", path);
    return new ChatMessage(role, content, toolCalls, toolCallId, name);
  }

  private static List<ContentPart> content(
      JsonNode node, String path, Role role, boolean hasToolCalls) {
    String field = path + ".content";
    if (!present(node)) {
      if (role == Role.ASSISTANT && hasToolCalls) {
        return List.of();
      }
      throw new InvalidRequestException(field, field + " is required.");
    }
    if (node.isTextual()) {
      return List.of(new ContentPart.Text(node.asText()));
    }
    if (!node.isArray()) {
      throw typeError(field, "a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      parts.add(part(node.get(i), field + "[" + i + "]"));
    }
    return parts;
  }

  private static ContentPart part(JsonNode node, String path) {
    if (!node.isObject()) {
      throw typeError(path, "a content part object");
    }
    String type = optionalString((ObjectNode) node, "type", path);
    if (type == null) {
      throw new InvalidRequestException(path + ".type", path + ".type is required.");
    }
    return switch (type) {
      case "text" -> {
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
          throw typeError(path + ".text", "a string");
        }
        yield new ContentPart.Text(text.asText());
      }
      case "image_url" -> {
        JsonNode image = node.get("image_url");
        JsonNode url = image == null ? null : image.get("url");
        if (url == null || !url.isTextual()) {
          throw typeError(path + ".image_url.url", "a string");
        }
        JsonNode detail = image.get("detail");
        yield new ContentPart.Image(url.asText(), detail == null ? null : detail.asText());
      }
      default -> new ContentPart.Other(type, node);
    };
  }

  private static List<ToolCall> toolCalls(JsonNode node, String path) {
    if (!present(node)) {
      return List.of();
    }
    String field = path + ".tool_calls";
    if (!node.isArray()) {
      throw typeError(field, "an array");
    }
    List<ToolCall> calls = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String callPath = field + "[" + i + "]";
      JsonNode call = node.get(i);
      JsonNode function = call.get("function");
      if (!call.isObject() || function == null || !function.isObject()) {
        throw typeError(callPath + ".function", "an object");
      }
      String id = optionalString((ObjectNode) call, "id", callPath);
      String name = optionalString((ObjectNode) function, "name", callPath + ".function");
      if (id == null || name == null) {
        throw new InvalidRequestException(callPath, callPath + " needs an id and a function.name.");
      }
      String arguments = optionalString((ObjectNode) function, "arguments", callPath + ".function");
      calls.add(new ToolCall(id, name, arguments == null ? "{}" : arguments));
    }
    return calls;
  }

  private static List<String> stop(JsonNode node) {
    if (!present(node)) {
      return List.of();
    }
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray()) {
      throw typeError("stop", "a string or an array of strings");
    }
    if (node.size() > MAX_STOP_SEQUENCES) {
      throw new InvalidRequestException(
          "stop", "stop allows at most " + MAX_STOP_SEQUENCES + " sequences.");
    }
    List<String> stop = new ArrayList<>(node.size());
    for (JsonNode s : node) {
      if (!s.isTextual()) {
        throw typeError("stop", "a string or an array of strings");
      }
      stop.add(s.asText());
    }
    return stop;
  }

  private static List<ToolDefinition> tools(JsonNode node) {
    if (!present(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw typeError("tools", "an array of tool objects");
    }
    List<ToolDefinition> tools = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      String path = "tools[" + i + "]";
      JsonNode tool = node.get(i);
      if (!tool.isObject()) {
        throw typeError(path, "a tool object");
      }
      JsonNode type = tool.get("type");
      if (type == null || !"function".equals(type.asText())) {
        throw new InvalidRequestException(path + ".type", path + ".type must be \"function\".");
      }
      JsonNode function = tool.get("function");
      if (function == null || !function.isObject()) {
        throw typeError(path + ".function", "an object");
      }
      String name = optionalString((ObjectNode) function, "name", path + ".function");
      if (name == null || name.isBlank()) {
        throw new InvalidRequestException(
            path + ".function.name", path + ".function.name is required.");
      }
      String description = optionalString((ObjectNode) function, "description", path + ".function");
      JsonNode parameters = function.get("parameters");
      if (present(parameters) && !parameters.isObject()) {
        throw typeError(path + ".function.parameters", "a JSON Schema object");
      }
      tools.add(new ToolDefinition(name, description, present(parameters) ? parameters : null));
    }
    return tools;
  }

  private static JsonNode toolChoice(JsonNode node, List<ToolDefinition> tools) {
    if (!present(node)) {
      return null;
    }
    if (node.isTextual()) {
      String choice = node.asText();
      if (!choice.equals("none") && !choice.equals("auto") && !choice.equals("required")) {
        throw new InvalidRequestException(
            "tool_choice", "tool_choice must be \"none\", \"auto\", \"required\" or an object.");
      }
      if (choice.equals("required") && tools.isEmpty()) {
        throw new InvalidRequestException(
            "tool_choice", "tool_choice \"required\" needs at least one tool in tools.");
      }
      return node;
    }
    JsonNode function = node.isObject() ? node.get("function") : null;
    JsonNode name = function == null ? null : function.get("name");
    if (name == null || !name.isTextual()) {
      throw typeError("tool_choice.function.name", "a string");
    }
    boolean known = tools.stream().anyMatch(t -> t.name().equals(name.asText()));
    if (!known) {
      throw new InvalidRequestException(
          "tool_choice.function.name",
          "tool_choice.function.name names a function that is not in tools.");
    }
    return node;
  }

  private static ResponseFormat responseFormat(JsonNode node) {
    if (!present(node)) {
      return ResponseFormat.TEXT;
    }
    if (!node.isObject()) {
      throw typeError("response_format", "an object");
    }
    String type = optionalString((ObjectNode) node, "type", "response_format");
    if (type == null) {
      throw new InvalidRequestException(
          "response_format.type", "response_format.type is required.");
    }
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null);
      case "json_schema" -> {
        JsonNode spec = node.get("json_schema");
        if (spec == null || !spec.isObject()) {
          throw typeError("response_format.json_schema", "an object");
        }
        String name = optionalString((ObjectNode) spec, "name", "response_format.json_schema");
        if (name == null) {
          throw new InvalidRequestException(
              "response_format.json_schema.name", "response_format.json_schema.name is required.");
        }
        JsonNode schema = spec.get("schema");
        if (present(schema) && !schema.isObject()) {
          throw typeError("response_format.json_schema.schema", "a JSON Schema object");
        }
        yield new ResponseFormat(
            ResponseFormat.Type.JSON_SCHEMA, name, present(schema) ? schema : null);
      }
      default ->
          throw new InvalidRequestException(
              "response_format.type",
              "response_format.type must be \"text\", \"json_object\" or \"json_schema\".");
    };
  }

  private static void metadata(JsonNode node) {
    if (!present(node)) {
      return;
    }
    if (!node.isObject()) {
      throw typeError("metadata", "an object of string values");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isTextual()) {
        throw typeError("metadata." + field.getKey(), "a string");
      }
    }
  }

  private static String requiredString(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    if (!present(value)) {
      throw new InvalidRequestException(field, field + " is required.");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw typeError(field, "a non-empty string");
    }
    return value.asText();
  }

  private static String optionalString(ObjectNode node, String field) {
    return optionalString(node, field, null);
  }

  private static String optionalString(ObjectNode node, String field, String parent) {
    JsonNode value = node.get(field);
    if (!present(value)) {
      return null;
    }
    if (!value.isTextual()) {
      throw typeError(parent == null ? field : parent + "." + field, "a string");
    }
    return value.asText();
  }

  private static boolean optionalBoolean(ObjectNode node, String field, boolean fallback) {
    JsonNode value = node.get(field);
    if (!present(value)) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw typeError(field, "a boolean");
    }
    return value.asBoolean();
  }

  private static Integer positiveInt(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    if (!present(value)) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
      throw typeError(field, "a positive integer");
    }
    return value.asInt();
  }

  private static Double numberInRange(ObjectNode node, String field, double min, double max) {
    JsonNode value = node.get(field);
    if (!present(value)) {
      return null;
    }
    if (!value.isNumber()) {
      throw typeError(field, "a number");
    }
    double number = value.asDouble();
    if (number < min || number > max) {
      throw new InvalidRequestException(
          field, field + " must be between " + fmt(min) + " and " + fmt(max) + ".");
    }
    return number;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** JSON null counts as absent, as OpenAI treats it. */
  private static boolean present(JsonNode node) {
    return node != null && node.getNodeType() != JsonNodeType.NULL;
  }

  private static InvalidRequestException typeError(String field, String expected) {
    return new InvalidRequestException(field, field + " must be " + expected + ".");
  }
}
