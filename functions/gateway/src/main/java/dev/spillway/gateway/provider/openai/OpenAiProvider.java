package dev.spillway.gateway.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.provider.transport.FirstOutputSplitter;
import dev.spillway.gateway.provider.transport.UpstreamHttp;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Any server that speaks OpenAI's Chat Completions: OpenAI itself, Azure-style base URLs, vLLM,
 * Ollama, Groq, Together, the upstream simulator.
 *
 * <p>The dialect is the gateway's own, so the request goes out as the client sent it (unknown
 * fields included) with only {@code model} replaced, and chunks come back as they are. Thread-safe.
 */
public final class OpenAiProvider implements ChatProvider {

  private static final String PATH = "/chat/completions";

  private final UpstreamHttp http;
  private final ObjectMapper mapper;
  private final Map<String, String> headers;

  public OpenAiProvider(UpstreamHttp http, ObjectMapper mapper, Optional<String> apiKey) {
    this.http = http;
    this.mapper = mapper;
    Map<String, String> fixed = new HashMap<>();
    apiKey.filter(k -> !k.isBlank()).ifPresent(k -> fixed.put("authorization", "Bearer " + k));
    this.headers = Map.copyOf(fixed);
  }

  @Override
  public String name() {
    return http.provider();
  }

  @Override
  public Uni<Completion> complete(UpstreamCall call) {
    return http.post(PATH, headersFor(call), encode(call, false))
        .flatMap(UpstreamHttp.Exchange::body)
        .map(this::completion);
  }

  @Override
  public Uni<ChunkStream> stream(UpstreamCall call) {
    return http.post(PATH, headersFor(call), encode(call, true))
        .flatMap(
            exchange -> {
              OpenAiStreamMapper stream = new OpenAiStreamMapper(mapper, name());
              return FirstOutputSplitter.split(
                  exchange
                      .bodyStream()
                      .onItem()
                      .transformToIterable(stream::feed)
                      .onCompletion()
                      .call(stream::requireTerminator),
                  name());
            });
  }

  private Map<String, String> headersFor(UpstreamCall call) {
    if (headers.isEmpty()) {
      return Map.of("x-request-id", call.requestId());
    }
    Map<String, String> all = new HashMap<>(headers);
    all.put("x-request-id", call.requestId());
    return all;
  }

  /**
   * The client's body with the upstream model. Streams always ask for usage: the gateway needs the
   * real count to price the request; the usage chunk is dropped again when the client did not ask.
   */
  private byte[] encode(UpstreamCall call, boolean stream) {
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

  private Completion completion(byte[] body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      throw invalid("a body that is not JSON");
    }
    if (!json.isObject() || !json.path("choices").isArray() || json.path("choices").isEmpty()) {
      throw invalid("a completion without choices");
    }
    return new Completion((ObjectNode) json, ChatChunk.usageOf(json.get("usage")));
  }

  private ProviderException invalid(String what) {
    return new ProviderException(
        ProviderException.Kind.INVALID_RESPONSE,
        name(),
        200,
        null,
        name() + " answered 200 with " + what);
  }
}
