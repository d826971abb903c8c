package dev.spillway.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.transport.SseDecoder;
import dev.spillway.gateway.provider.transport.SseEvent;
import dev.spillway.gateway.provider.transport.StreamDecoder;
import dev.spillway.usage.TokenUsage;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's streaming events → OpenAI {@code chat.completion.chunk}s.
 *
 * <p>{@code message_start} announces the role and the prompt tokens; text and tool-input deltas
 * become content and {@code tool_calls} deltas (Anthropic's content-block index is renumbered to
 * OpenAI's tool-call index); {@code message_delta} brings the stop reason and output tokens, which
 * become the finish chunk and, at {@code message_stop}, a usage chunk. A stream that ends without
 * {@code message_stop}, or with an {@code error} event, is broken. One per stream, not thread-safe.
 */
final class AnthropicStreamMapper implements StreamDecoder {

  private final SseDecoder decoder = new SseDecoder();
  private final ObjectMapper mapper;
  private final String provider;
  private final long created;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private final java.util.Set<Integer> toolBlocksWithInput = new java.util.HashSet<>();
  private String id = AnthropicResponses.completionId(null);
  private String model = "";
  private int promptTokens;
  private int completionTokens;
  private boolean stopped;

  AnthropicStreamMapper(ObjectMapper mapper, String provider, long created) {
    this.mapper = mapper;
    this.provider = provider;
    this.created = created;
  }

  @Override
  public List<ChatChunk> feed(byte[] bytes) {
    List<SseEvent> events = decoder.feed(bytes);
    if (events.isEmpty()) {
      return List.of();
    }
    List<ChatChunk> chunks = new ArrayList<>(events.size());
    for (SseEvent event : events) {
      JsonNode data = parse(event.data());
      String type = event.event() != null ? event.event() : data.path("type").asText();
      switch (type) {
        case "message_start" -> {
          JsonNode message = data.path("message");
          id = AnthropicResponses.completionId(message.path("id").asText(null));
          model = message.path("model").asText("");
          TokenUsage usage = AnthropicResponses.usage(message.path("usage"));
          if (usage != null) {
            promptTokens = usage.promptTokens();
            completionTokens = usage.completionTokens();
          }
          ObjectNode delta = mapper.createObjectNode().put("role", "assistant").put("content", "");
          chunks.add(chunk(delta, null));
        }
        case "content_block_start" -> {
          JsonNode block = data.path("content_block");
          if ("tool_use".equals(block.path("type").asText())) {
            int toolIndex = toolIndexByBlock.size();
            toolIndexByBlock.put(data.path("index").asInt(), toolIndex);
            ObjectNode call = mapper.createObjectNode();
            call.put("index", toolIndex);
            call.put("id", block.path("id").asText());
            call.put("type", "function");
            call.putObject("function")
                .put("name", block.path("name").asText())
                .put("arguments", "");
            ObjectNode delta = mapper.createObjectNode();
            delta.putArray("tool_calls").add(call);
            chunks.add(chunk(delta, null));
          }
        }
        case "content_block_delta" -> {
          JsonNode delta = data.path("delta");
          switch (delta.path("type").asText()) {
            case "text_delta" ->
                chunks.add(
                    chunk(
                        mapper.createObjectNode().put("content", delta.path("text").asText()),
                        null));
            case "input_json_delta" -> {
              Integer toolIndex = toolIndexByBlock.get(data.path("index").asInt());
              String partial = delta.path("partial_json").asText();
              if (toolIndex != null && !partial.isEmpty()) {
                toolBlocksWithInput.add(data.path("index").asInt());
                ObjectNode call = mapper.createObjectNode().put("index", toolIndex);
                call.putObject("function").put("arguments", partial);
                ObjectNode out = mapper.createObjectNode();
                out.putArray("tool_calls").add(call);
                chunks.add(chunk(out, null));
              }
            }
            default -> {
              // thinking and signature deltas have no Chat Completions field.
            }
          }
        }
        case "content_block_stop" -> {
          int block = data.path("index").asInt();
          Integer toolIndex = toolIndexByBlock.get(block);
          if (toolIndex != null && !toolBlocksWithInput.contains(block)) {
            // A tool without parameters streams no input; OpenAI clients parse "{}", not "".
            ObjectNode call = mapper.createObjectNode().put("index", toolIndex);
            call.putObject("function").put("arguments", "{}");
            ObjectNode out = mapper.createObjectNode();
            out.putArray("tool_calls").add(call);
            chunks.add(chunk(out, null));
          }
        }
        case "message_delta" -> {
          JsonNode usage = data.path("usage");
          if (usage.has("output_tokens")) {
            completionTokens = usage.path("output_tokens").asInt();
          }
          String stopReason = data.path("delta").path("stop_reason").asText(null);
          if (stopReason != null) {
            chunks.add(
                chunk(mapper.createObjectNode(), AnthropicResponses.finishReason(stopReason)));
          }
        }
        case "message_stop" -> {
          stopped = true;
          chunks.add(usageChunk());
        }
        case "error" -> throw broken("an error event in the stream");
        default -> {
          // ping and future event types carry nothing to relay.
        }
      }
    }
    return chunks;
  }

  @Override
  public Uni<Void> requireEnd() {
    return stopped
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().failure(broken("a stream that ended before message_stop"));
  }

  private JsonNode parse(String data) {
    try {
      JsonNode json = mapper.readTree(data);
      if (json == null || !json.isObject()) {
        throw broken("a stream event that is not a JSON object");
      }
      return json;
    } catch (IOException e) {
      throw broken("a stream event that is not JSON");
    }
  }

  private ChatChunk chunk(ObjectNode delta, String finishReason) {
    ObjectNode json = base();
    ObjectNode choice = json.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("delta", delta);
    choice.putNull("logprobs");
    if (finishReason == null) {
      choice.putNull("finish_reason");
    } else {
      choice.put("finish_reason", finishReason);
    }
    return ChatChunk.of(json, null);
  }

  private ChatChunk usageChunk() {
    ObjectNode json = base();
    json.putArray("choices");
    json.set(
        "usage",
        AnthropicResponses.usageJson(mapper, TokenUsage.reported(promptTokens, completionTokens)));
    return ChatChunk.of(json, null);
  }

  private ObjectNode base() {
    ObjectNode json = mapper.createObjectNode();
    json.put("id", id);
    json.put("object", "chat.completion.chunk");
    json.put("created", created);
    json.put("model", model);
    return json;
  }

  private ProviderException broken(String what) {
    return new ProviderException(
        ProviderException.Kind.STREAM_BROKEN, provider, 200, null, provider + " sent " + what);
  }
}
