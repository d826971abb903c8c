package dev.spillway.simulator.provider.anthropic;

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

/** Anthropic Messages ({@code POST /v1/messages}). Stateless and thread-safe. */
public final class AnthropicDialect implements ProviderDialect {

  @Override
  public CompletionRequest parse(JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object", null);
    }
    String model = RequestFields.requiredText(body, "model");
    OptionalInt maxTokens = RequestFields.positiveInt(body, "max_tokens");
    if (maxTokens.isEmpty()) {
      // Unlike OpenAI, Anthropic makes the caller state an output limit on every request.
      throw new InvalidRequestException("max_tokens: Field required", "max_tokens");
    }
    JsonNode messages = RequestFields.requiredArray(body, "messages");
    long characters = blockCharacters(body.get("system"));
    for (JsonNode message : messages) {
      characters += blockCharacters(message.get("content"));
    }
    return new CompletionRequest(
        model,
        RequestFields.flag(body, "stream"),
        true,
        CompletionRequest.estimateTokens(characters),
        maxTokens,
        outputShape(body),
        RequestFields.endsAfterAssistant(messages),
        RequestFields.lastUserText(messages));
  }

  /** Characters of text in a string or a list of content blocks; images count for nothing. */
  private static long blockCharacters(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return content.asText().length();
    }
    long characters = 0;
    for (JsonNode block : content) {
      switch (block.path("type").asText("")) {
        case "text" -> characters += RequestFields.textLength(block.get("text"));
        case "tool_use" -> characters += block.path("input").toString().length();
        case "tool_result" -> characters += blockCharacters(block.get("content"));
        default -> {}
      }
    }
    return characters;
  }

  private static OutputShape outputShape(JsonNode body) {
    JsonNode tools = body.get("tools");
    JsonNode choice = body.get("tool_choice");
    String choiceType = choice == null ? "auto" : choice.path("type").asText("auto");
    if (tools == null || !tools.isArray() || tools.isEmpty() || choiceType.equals("none")) {
      return new OutputShape.Text();
    }
    if (choiceType.equals("tool")) {
      String wanted = choice.path("name").asText("");
      for (JsonNode tool : tools) {
        if (tool.path("name").asText("").equals(wanted)) {
          return new OutputShape.ToolCall(wanted, tool.get("input_schema"));
        }
      }
      throw new InvalidRequestException(
          "tool_choice.name: names a tool that is not among tools", "tool_choice");
    }
    JsonNode first = tools.get(0);
    String name = first.path("name").asText("");
    if (name.isEmpty()) {
      throw new InvalidRequestException("tools.0.name: Field required", "tools");
    }
    return new OutputShape.ToolCall(name, first.get("input_schema"));
  }

  @Override
  public String completionBody(Completion completion) {
    StringBuilder out = new StringBuilder(256 + completion.pieces().size() * 8);
    bodyUpToContent(completion, out);
    if (completion.isToolCall()) {
      // A cut tool call has no valid input object to show; an empty one keeps the body JSON.
      out.append(completion.finish() == Completion.Finish.LENGTH ? "{}" : completion.text());
      out.append('}');
    } else {
      escaped(out, completion.text()).append("\"}");
    }
    out.append("],\"stop_reason\":\"")
        .append(stopReason(completion))
        .append("\",\"stop_sequence\":null");
    if (!completion.omitUsage()) {
      out.append(",\"usage\":{\"input_tokens\":")
          .append(completion.promptTokens())
          .append(",\"output_tokens\":")
          .append(completion.completionTokens())
          .append('}');
    }
    return out.append('}').toString();
  }

  @Override
  public String completionBodyPrefix(Completion completion, int tokens) {
    StringBuilder out = new StringBuilder(256 + tokens * 8);
    bodyUpToContent(completion, out);
    if (completion.isToolCall()) {
      // The input of a tool call cut by max_tokens is shown as {} rather than its pieces.
      if (completion.finish() != Completion.Finish.LENGTH) {
        completion.pieces().subList(0, tokens).forEach(out::append);
      }
    } else {
      for (String piece : completion.pieces().subList(0, tokens)) {
        escaped(out, piece);
      }
    }
    return out.toString();
  }

  /**
   * The body up to where the answer's tokens go: after the opening quote of the text, or after
   * {@code "input":} of a tool call, whose input is raw JSON.
   */
  private static void bodyUpToContent(Completion completion, StringBuilder out) {
    out.append("{\"id\":\"msg_")
        .append(completion.uid())
        .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
    quoted(out, completion.model()).append(",\"content\":[");
    if (completion.isToolCall()) {
      out.append("{\"type\":\"tool_use\",\"id\":\"toolu_")
          .append(completion.uid())
          .append("\",\"name\":");
      quoted(out, completion.toolName()).append(",\"input\":");
    } else {
      out.append("{\"type\":\"text\",\"text\":\"");
    }
  }

  @Override
  public StreamEncoder streamEncoder(Completion completion) {
    return new EventEncoder(completion);
  }

  @Override
  public String errorBody(ApiError error, String message, String param) {
    StringBuilder out =
        new StringBuilder(128)
            .append("{\"type\":\"error\",\"error\":{\"type\":\"")
            .append(type(error))
            .append("\",\"message\":");
    return quoted(out, message).append("}}").toString();
  }

  private static String type(ApiError error) {
    return switch (error) {
      case INVALID_REQUEST -> "invalid_request_error";
      case AUTHENTICATION -> "authentication_error";
      case NOT_FOUND -> "not_found_error";
      case RATE_LIMITED -> "rate_limit_error";
      case SERVER_ERROR -> "api_error";
      case UNAVAILABLE -> "overloaded_error";
    };
  }

  private static String stopReason(Completion completion) {
    return switch (completion.finish()) {
      case STOP -> "end_turn";
      case LENGTH -> "max_tokens";
      case TOOL_CALL -> "tool_use";
    };
  }

  /** Messages streaming events, each with its {@code event:} line. */
  private static final class EventEncoder implements StreamEncoder {
    private final Completion completion;
    private final String deltaPrefix;

    EventEncoder(Completion completion) {
      this.completion = completion;
      this.deltaPrefix =
          completion.isToolCall()
              ? "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                  + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
              : "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                  + "\"delta\":{\"type\":\"text_delta\",\"text\":";
    }

    @Override
    public void start(StringBuilder out) {
      messageStart(out);
      out.append("}\n\n");
      out.append(
          "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
              + "\"content_block\":");
      if (completion.isToolCall()) {
        out.append("{\"type\":\"tool_use\",\"id\":\"toolu_")
            .append(completion.uid())
            .append("\",\"name\":");
        quoted(out, completion.toolName()).append(",\"input\":{}}}\n\n");
      } else {
        out.append("{\"type\":\"text\",\"text\":\"\"}}\n\n");
      }
      out.append("event: ping\ndata: {\"type\":\"ping\"}\n\n");
    }

    private void messageStart(StringBuilder out) {
      out.append(
              "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_")
          .append(completion.uid())
          .append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":");
      quoted(out, completion.model())
          .append(",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null");
      if (!completion.omitUsage()) {
        out.append(",\"usage\":{\"input_tokens\":")
            .append(completion.promptTokens())
            .append(",\"output_tokens\":1}");
      }
      out.append('}');
    }

    @Override
    public void piece(int index, StringBuilder out) {
      out.append(deltaPrefix);
      quoted(out, completion.pieces().get(index)).append("}}\n\n");
    }

    @Override
    public void end(StringBuilder out) {
      out.append(
          "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
      out.append(
              "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"")
          .append(stopReason(completion))
          .append("\",\"stop_sequence\":null}");
      if (!completion.omitUsage()) {
        out.append(",\"usage\":{\"output_tokens\":")
            .append(completion.completionTokens())
            .append('}');
      }
      out.append("}\n\n");
      out.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Override
    public void malformedFrame(StringBuilder out) {
      out.append(
          "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\n\n");
    }
  }
}
