package dev.spillway.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.provider.transport.HttpChatProvider;
import dev.spillway.gateway.provider.transport.StreamDecoder;
import dev.spillway.gateway.provider.transport.UpstreamHttp;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Any server that speaks OpenAI's Chat Completions: OpenAI itself, Azure-style base URLs, vLLM,
 * Ollama, Groq, Together, the upstream simulator.
 *
 * <p>The dialect is the gateway's own, so the request goes out as the client sent it (unknown
 * fields included) with only {@code model} replaced, and chunks come back as they are. Thread-safe.
 */
public final class OpenAiProvider extends HttpChatProvider {

  private static final String PATH = "/chat/completions";

  private final ObjectMapper mapper;

  public OpenAiProvider(UpstreamHttp http, ObjectMapper mapper, Optional<String> apiKey) {
    super(
        http,
        PATH,
        apiKey
            .filter(k -> !k.isBlank())
            .map(k -> Map.of("authorization", "Bearer " + k))
            .orElse(Map.of()));
    this.mapper = mapper;
  }

  /**
   * The client's body with the upstream model. Streams always ask for usage: the gateway needs the
   * real count to price the request; the usage chunk is dropped again when the client did not ask.
   */
  @Override
  protected byte[] encodeRequest(UpstreamCall call, boolean stream) {
    ObjectNode body = call.request().raw().deepCopy();
    body.put("model", call.upstreamModel());
    if (stream) {
      body.putObject("stream_options").put("include_usage", true);
    }
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a parsed JSON tree always serializes", e);
    }
  }

  @Override
  protected Completion decodeCompletion(byte[] body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      throw invalidAnswer("a body that is not JSON");
    }
    if (json == null
        || !json.isObject()
        || !json.path("choices").isArray()
        || json.path("choices").isEmpty()) {
      throw invalidAnswer("a completion without choices");
    }
    return new Completion((ObjectNode) json, ChatChunk.usageOf(json.get("usage")));
  }

  @Override
  protected StreamDecoder newStreamDecoder() {
    return new OpenAiStreamMapper(name());
  }
}
