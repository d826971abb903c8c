package dev.spillway.gateway.provider;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.usage.TokenUsage;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One {@code chat.completion.chunk}, with the facts the gateway needs pulled out once.
 *
 * <p>A chunk that arrives as text from an OpenAI-compatible upstream is read with Jackson's
 * streaming parser ({@link #read}): one pass that pulls the delta text, tool-call deltas, refusal,
 * finish reason and usage and skips everything else, without building a tree. The text is relayed
 * to the client as it came; the tree is built only when something must change the chunk (a
 * recovered stream's splice, the final usage), which is rare. Chunks the gateway makes itself
 * (Anthropic's events translated) start from a tree ({@link #of}).
 *
 * <p>Immutable once built, except that {@link #json()} builds the tree on first use; one chunk
 * belongs to one stream's event loop.
 */
public final class ChatChunk {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper TREES = new ObjectMapper(JSON);

  private ObjectNode json;

  /** The text the chunk was read from, for {@link #json()}; null when it was built as a tree. */
  private String source;

  private final String encoded;
  private final String text;
  private final String content;
  private final TokenUsage usage;
  private final String finishReason;
  private final boolean output;
  private final boolean toolCalls;
  private final boolean refusal;
  private final boolean hasChoices;

  private ChatChunk(
      ObjectNode json,
      String encoded,
      String text,
      String content,
      TokenUsage usage,
      String finishReason,
      boolean output,
      boolean toolCalls,
      boolean refusal,
      boolean hasChoices) {
    this.json = json;
    this.encoded = encoded;
    this.text = text;
    this.content = content;
    this.usage = usage;
    this.finishReason = finishReason;
    this.output = output;
    this.toolCalls = toolCalls;
    this.refusal = refusal;
    this.hasChoices = hasChoices;
  }

  /**
   * A chunk rebuilt from {@code json} with facts the caller already knows (a spliced or re-stamped
   * chunk): relayed by encoding the tree.
   */
  public ChatChunk(
      ObjectNode json,
      String encoded,
      String text,
      TokenUsage usage,
      String finishReason,
      boolean output) {
    this(json, encoded, text, of(json, null), usage, finishReason, output);
  }

  private ChatChunk(
      ObjectNode json,
      String encoded,
      String text,
      ChatChunk facts,
      TokenUsage usage,
      String finishReason,
      boolean output) {
    this(
        json,
        encoded,
        text,
        facts.content,
        usage,
        finishReason,
        output,
        facts.toolCalls,
        facts.refusal,
        facts.hasChoices);
  }

  /** Reads the facts out of a chunk in OpenAI's shape, given as a tree. */
  public static ChatChunk of(ObjectNode json, String encoded) {
    StringBuilder text = new StringBuilder();
    StringBuilder content = new StringBuilder();
    String finishReason = null;
    boolean output = false;
    boolean toolCalls = false;
    boolean refusal = false;
    JsonNode choices = json.path("choices");
    for (JsonNode choice : choices) {
      JsonNode delta = choice.path("delta");
      JsonNode part = delta.get("content");
      if (part != null && part.isTextual() && !part.asText().isEmpty()) {
        text.append(part.asText());
        content.append(part.asText());
        output = true;
      }
      for (JsonNode call : delta.path("tool_calls")) {
        output = true;
        toolCalls = true;
        JsonNode function = call.path("function");
        text.append(function.path("name").asText(""));
        text.append(function.path("arguments").asText(""));
      }
      JsonNode refused = delta.get("refusal");
      if (refused != null && refused.isTextual() && !refused.asText().isEmpty()) {
        text.append(refused.asText());
        output = true;
        refusal = true;
      }
      JsonNode finish = choice.get("finish_reason");
      if (finish != null && finish.isTextual()) {
        finishReason = finish.asText();
        output = true;
      }
    }
    return new ChatChunk(
        json,
        encoded,
        text.toString(),
        content.toString(),
        usageOf(json.get("usage")),
        finishReason,
        output,
        toolCalls,
        refusal,
        choices.isArray() && !choices.isEmpty());
  }

  /** What {@link #read} found wrong with a chunk's text. */
  public static final class Unreadable extends Exception {
    Unreadable(String what) {
      super(what, null, false, false);
    }
  }

  /**
   * Reads a chunk from its JSON text in one streaming pass.
   *
   * @param encoded the chunk as the upstream sent it
   * @param relayable true when the text can be relayed as it is (one {@code data:} line)
   * @throws Unreadable when the text is not a JSON object, or is an error event
   */
  public static ChatChunk read(String encoded, boolean relayable) throws Unreadable {
    try (JsonParser parser = JSON.createParser(encoded)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new Unreadable("a stream event that is not a JSON object");
      }
      Facts facts = new Facts();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "choices" -> facts.choices(parser, value);
          case "usage" -> facts.usage(parser, value);
          case "error" -> throw new Unreadable("an error event in the stream");
          default -> parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new Unreadable("a stream event that is not JSON");
      }
      ChatChunk chunk =
          new ChatChunk(
              null,
              relayable ? encoded : null,
              facts.text.toString(),
              facts.content.toString(),
              facts.usage,
              facts.finishReason,
              facts.output,
              facts.toolCalls,
              facts.refusal,
              facts.hasChoices);
      chunk.source = encoded;
      return chunk;
    } catch (IOException e) {
      throw new Unreadable("a stream event that is not JSON");
    }
  }

  /** What one pass over a chunk's tokens collects. */
  private static final class Facts {
    final StringBuilder text = new StringBuilder();
    final StringBuilder content = new StringBuilder();
    String finishReason;
    boolean output;
    boolean toolCalls;
    boolean refusal;
    boolean hasChoices;
    TokenUsage usage;

    void choices(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return;
      }
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        hasChoices = true;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken token = parser.nextToken();
          if (field.equals("delta") && token == JsonToken.START_OBJECT) {
            delta(parser);
          } else if (field.equals("finish_reason") && token == JsonToken.VALUE_STRING) {
            finishReason = parser.getText();
            output = true;
          } else {
            parser.skipChildren();
          }
        }
      }
    }

    private void delta(JsonParser parser) throws IOException {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "content" -> {
            if (token == JsonToken.VALUE_STRING) {
              String part = parser.getText();
              if (!part.isEmpty()) {
                text.append(part);
                content.append(part);
                output = true;
              }
            }
          }
          case "refusal" -> {
            if (token == JsonToken.VALUE_STRING && parser.getTextLength() > 0) {
              text.append(parser.getText());
              output = true;
              refusal = true;
            }
          }
          case "tool_calls" -> toolCalls(parser, token);
          default -> parser.skipChildren();
        }
      }
    }

    private void toolCalls(JsonParser parser, JsonToken token) throws IOException {
      if (token != JsonToken.START_ARRAY) {
        parser.skipChildren();
        return;
      }
      JsonToken call;
      while ((call = parser.nextToken()) != JsonToken.END_ARRAY && call != null) {
        output = true;
        toolCalls = true;
        if (call != JsonToken.START_OBJECT) {
          parser.skipChildren();
          continue;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          if (field.equals("function") && value == JsonToken.START_OBJECT) {
            String name = "";
            String arguments = "";
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
              String part = parser.currentName();
              JsonToken text = parser.nextToken();
              if (part.equals("name") && text == JsonToken.VALUE_STRING) {
                name = parser.getText();
              } else if (part.equals("arguments") && text == JsonToken.VALUE_STRING) {
                arguments = parser.getText();
              } else {
                parser.skipChildren();
              }
            }
            // In the order the tree walk of #of appends them.
            text.append(name).append(arguments);
          } else {
            parser.skipChildren();
          }
        }
      }
    }

    void usage(JsonParser parser, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return;
      }
      Integer prompt = null;
      Integer completion = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NUMBER_INT && field.equals("prompt_tokens")) {
          prompt = parser.getIntValue();
        } else if (token == JsonToken.VALUE_NUMBER_INT && field.equals("completion_tokens")) {
          completion = parser.getIntValue();
        } else {
          parser.skipChildren();
        }
      }
      if (prompt != null && completion != null) {
        usage = TokenUsage.reported(prompt, completion);
      }
    }
  }

  /** The chunk as a tree; built from its text on first use when it was read by streaming. */
  public ObjectNode json() {
    if (json == null) {
      try {
        json = (ObjectNode) TREES.readTree(source);
        source = null;
      } catch (IOException e) {
        throw new UncheckedIOException("a chunk read once could not be read again", e);
      }
    }
    return json;
  }

  /**
   * The chunk's JSON text when it can be relayed as the upstream sent it, or null (then the tree is
   * encoded).
   */
  public String encoded() {
    return encoded;
  }

  /** Output text in this chunk: content deltas, tool-call names and arguments, refusals. */
  public String text() {
    return text;
  }

  /** The content deltas alone. */
  public String content() {
    return content;
  }

  /** Usage carried by this chunk, or null. */
  public TokenUsage usage() {
    return usage;
  }

  /** The choice's finish reason, or null. */
  public String finishReason() {
    return finishReason;
  }

  /**
   * True when the chunk carries output (text, a tool call, or a finish reason), as opposed to a
   * bare role announcement or a usage report.
   */
  public boolean output() {
    return output;
  }

  /** True when a delta carries tool calls. */
  public boolean toolCalls() {
    return toolCalls;
  }

  /** True when a delta carries a non-empty refusal. */
  public boolean refusal() {
    return refusal;
  }

  /** True for the usage-only chunk that {@code stream_options.include_usage} adds at the end. */
  public boolean isUsageOnly() {
    return usage != null && !hasChoices;
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

  @Override
  public String toString() {
    return "ChatChunk[" + (json != null ? json.toString() : source) + "]";
  }
}
