package dev.spillway.simulator.provider.openai;

import static dev.spillway.simulator.provider.JsonText.escaped;
import static dev.spillway.simulator.provider.JsonText.quoted;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.completion.Completion;
import dev.spillway.simulator.completion.CompletionRequest;
import dev.spillway.simulator.completion.OutputShape;
import dev.spillway.simulator.provider.ApiError;
import dev.spillway.simulator.provider.InvalidRequestException;
import dev.spillway.simulator.provider.ProviderDialect;
import dev.spillway.simulator.provider.RequestFields;
import java.util.OptionalInt;

/** OpenAI Chat Completions ({@code POST /v1/chat/completions}). Stateless and thread-safe. */
public final class OpenAiDialect implements ProviderDialect {

  @Override
  public CompletionRequest parse(JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object", null);
    }
    String model = RequestFields.requiredText(body, "model");
    JsonNode messages = RequestFields.requiredArray(body, "messages");
    boolean stream = RequestFields.flag(body, "stream");
    boolean includeUsage =
        stream && body.path("stream_options").path("include_usage").asBoolean(false);
    OptionalInt maxTokens = RequestFields.positiveInt(body, "max_completion_tokens");
    if (maxTokens.isEmpty()) {
      maxTokens = RequestFields.positiveInt(body, "max_tokens");
    }
    return new CompletionRequest(
        model,
        stream,
        includeUsage,
        CompletionRequest.estimateTokens(messageCharacters(messages)),
        maxTokens,
        outputShape(body),
        RequestFields.endsAfterAssistant(messages),
        RequestFields.lastUserText(messages));
  }

  private static long messageCharacters(JsonNode messages) {
    long characters = 0;
    for (JsonNode message : messages) {
      JsonNode content = message.get("content");
      if (content != null && content.isArray()) {
        for (JsonNode part : content) {
          characters += RequestFields.textLength(part.get("text"));
        }
      } else {
        characters += RequestFields.textLength(content);
      }
      for (JsonNode call : message.path("tool_calls")) {
        characters += RequestFields.textLength(call.path("function").get("arguments"));
      }
    }
    return characters;
  }

  private static OutputShape outputShape(JsonNode body) {
    JsonNode tools = body.get("tools");
    JsonNode choice = body.get("tool_choice");
    boolean toolsOff = choice != null && choice.isTextual() && choice.asText().equals("none");
    if (tools != null && tools.isArray() && !tools.isEmpty() && !toolsOff) {
      return toolCall(tools, choice);
    }
    JsonNode format = body.get("response_format");
    if (format == null || format.isNull()) {
      return new OutputShape.Text();
    }
    String type = format.path("type").asText("");
    return switch (type) {
      case "text" -> new OutputShape.Text();
      case "json_object" -> new OutputShape.JsonObject();
      case "json_schema" -> new OutputShape.JsonSchema(format.path("json_schema").get("schema"));
      default ->
          throw new InvalidRequestException(
              "response_format.type: must be one of text, json_object, json_schema",
              "response_format");
    };
  }

  private static OutputShape toolCall(JsonNode tools, JsonNode choice) {
    if (choice != null && choice.isObject()) {
      String wanted = choice.path("function").path("name").asText("");
      for (JsonNode tool : tools) {
        if (tool.path("function").path("name").asText("").equals(wanted)) {
          return new OutputShape.ToolCall(wanted, tool.path("function").get("parameters"));
        }
      }
      throw new InvalidRequestException(
          "tool_choice: names a function that is not among tools", "tool_choice");
    }
    for (JsonNode tool : tools) {
      String name = tool.path("function").path("name").asText("");
      if (!name.isEmpty()) {
        return new OutputShape.ToolCall(name, tool.path("function").get("parameters"));
      }
    }
    throw new InvalidRequestException("tools: no tool has a function name", "tools");
  }

  @Override
  public String completionBody(Completion completion) {
    StringBuilder out = new StringBuilder(256 + completion.pieces().size() * 8);
    bodyUpToContent(completion, out);
    escaped(out, completion.text()).append('"');
    if (completion.isToolCall()) {
      out.append("}}]");
    }
    out.append(",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"")
        .append(finishReason(completion))
        .append("\"}]");
    if (!completion.omitUsage()) {
      out.append(",\"usage\":");
      usage(completion, out);
    }
    return out.append(",\"system_fingerprint\":null}").toString();
  }

  @Override
  public String completionBodyPrefix(Completion completion, int tokens) {
    StringBuilder out = new StringBuilder(256 + tokens * 8);
    bodyUpToContent(completion, out);
    for (String piece : completion.pieces().subList(0, tokens)) {
      escaped(out, piece);
    }
    return out.toString();
  }

  /** The body up to and including the opening quote of the content or the tool arguments. */
  private static void bodyUpToContent(Completion completion, StringBuilder out) {
    out.append("{\"id\":\"chatcmpl-")
        .append(completion.uid())
        .append("\",\"object\":\"chat.completion\",\"created\":")
        .append(completion.created())
        .append(",\"model\":");
    quoted(out, completion.model());
    out.append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",");
    if (completion.isToolCall()) {
      out.append("\"content\":null,\"tool_calls\":[{\"id\":\"call_")
          .append(completion.uid())
          .append("\",\"type\":\"function\",\"function\":{\"name\":");
      quoted(out, completion.toolName()).append(",\"arguments\":\"");
    } else {
      out.append("\"content\":\"");
    }
  }

  @Override
  public StreamEncoder streamEncoder(Completion completion) {
    return new ChunkEncoder(completion);
  }

  @Override
  public String errorBody(ApiError error, String message, String param) {
    StringBuilder out = new StringBuilder(160).append("{\"error\":{\"message\":");
    quoted(out, message).append(",\"type\":\"").append(type(error)).append("\",\"param\":");
    if (param == null) {
      out.append("null");
    } else {
      quoted(out, param);
    }
    out.append(",\"code\":");
    String code = code(error);
    if (code == null) {
      out.append("null");
    } else {
      out.append('"').append(code).append('"');
    }
    return out.append("}}").toString();
  }

  private static String type(ApiError error) {
    return switch (error) {
      case INVALID_REQUEST, AUTHENTICATION, NOT_FOUND -> "invalid_request_error";
      case RATE_LIMITED -> "requests";
      case SERVER_ERROR, UNAVAILABLE -> "server_error";
    };
  }

  private static String code(ApiError error) {
    return switch (error) {
      case AUTHENTICATION -> "invalid_api_key";
      case NOT_FOUND -> "unknown_url";
      case RATE_LIMITED -> "rate_limit_exceeded";
      case UNAVAILABLE -> "service_unavailable";
      case INVALID_REQUEST, SERVER_ERROR -> null;
    };
  }

  private static String finishReason(Completion completion) {
    return switch (completion.finish()) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_CALL -> "tool_calls";
    };
  }

  private static void usage(Completion completion, StringBuilder out) {
    int prompt = completion.promptTokens();
    int generated = completion.completionTokens();
    out.append("{\"prompt_tokens\":")
        .append(prompt)
        .append(",\"completion_tokens\":")
        .append(generated)
        .append(",\"total_tokens\":")
        .append((long) prompt + generated)
        .append('}');
  }

  /** {@code chat.completion.chunk} events; the per-response prefix is built once. */
  private static final class ChunkEncoder implements StreamEncoder {
    private final Completion completion;
    private final String prefix;
    private final String suffix;
    private final boolean sendUsage;

    ChunkEncoder(Completion completion) {
      this.completion = completion;
      this.sendUsage = completion.includeUsage() && !completion.omitUsage();
      StringBuilder head =
          new StringBuilder(160)
              .append("data: {\"id\":\"chatcmpl-")
              .append(completion.uid())
              .append("\",\"object\":\"chat.completion.chunk\",\"created\":")
              .append(completion.created())
              .append(",\"model\":");
      quoted(head, completion.model()).append(",\"system_fingerprint\":null,\"choices\":[");
      this.prefix = head.toString();
      // With include_usage OpenAI sends "usage":null on every chunk but the last.
      this.suffix = sendUsage ? "],\"usage\":null}\n\n" : "]}\n\n";
    }

    @Override
    public void start(StringBuilder out) {
      out.append(prefix).append("{\"index\":0,\"delta\":{\"role\":\"assistant\",");
      if (completion.isToolCall()) {
        out.append("\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_")
            .append(completion.uid())
            .append("\",\"type\":\"function\",\"function\":{\"name\":");
        quoted(out, completion.toolName()).append(",\"arguments\":\"\"}}]");
      } else {
        out.append("\"content\":\"\"");
      }
      out.append(",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}").append(suffix);
    }

    @Override
    public void piece(int index, StringBuilder out) {
      out.append(prefix);
      if (completion.isToolCall()) {
        out.append(
            "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":");
        quoted(out, completion.pieces().get(index)).append("}}]}");
      } else {
        out.append("{\"index\":0,\"delta\":{\"content\":");
        quoted(out, completion.pieces().get(index)).append('}');
      }
      out.append(",\"logprobs\":null,\"finish_reason\":null}").append(suffix);
    }

    @Override
    public void end(StringBuilder out) {
      out.append(prefix)
          .append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"")
          .append(finishReason(completion))
          .append("\"}")
          .append(suffix);
      if (sendUsage) {
        out.append(prefix).append("],\"usage\":");
        usage(completion, out);
        out.append("}\n\n");
      }
      out.append("data: [DONE]\n\n");
    }

    @Override
    public void malformedFrame(StringBuilder out) {
      out.append(prefix).append("{\"index\":0,\"delta\":{\"content\":\n\n");
    }
  }
}
