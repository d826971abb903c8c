package dev.spillway.gateway.provider.anthropic;

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
 * Anthropic's Messages API behind the gateway's OpenAI-shaped interface. Request, response and
 * stream translation live in their own classes; this one holds the transport facts (path, headers).
 * Thread-safe.
 */
public final class AnthropicProvider implements ChatProvider {

  private static final String PATH = "/v1/messages";

  private final UpstreamHttp http;
  private final ObjectMapper mapper;
  private final AnthropicRequestMapper requests;
  private final Map<String, String> headers;

  public AnthropicProvider(
      UpstreamHttp http,
      ObjectMapper mapper,
      Optional<String> apiKey,
      String anthropicVersion,
      int defaultMaxTokens) {
    this.http = http;
    this.mapper = mapper;
    this.requests = new AnthropicRequestMapper(mapper, defaultMaxTokens);
    Map<String, String> fixed = new HashMap<>();
    fixed.put("anthropic-version", anthropicVersion);
    apiKey.filter(k -> !k.isBlank()).ifPresent(k -> fixed.put("x-api-key", k));
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
              AnthropicStreamMapper stream =
                  new AnthropicStreamMapper(mapper, name(), nowSeconds());
              return FirstOutputSplitter.split(
                  exchange
                      .bodyStream()
                      .onItem()
                      .transformToIterable(stream::feed)
                      .onCompletion()
                      .call(stream::requireStop),
                  name());
            });
  }

  private Map<String, String> headersFor(UpstreamCall call) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("x-request-id", call.requestId());
    return all;
  }

  private byte[] encode(UpstreamCall call, boolean stream) {
    ObjectNode body = requests.map(call.request(), call.upstreamModel(), stream);
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private Completion completion(byte[] body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      throw invalid("a body that is not JSON");
    }
    ObjectNode completion =
        json == null ? null : AnthropicResponses.completion(mapper, json, nowSeconds());
    if (completion == null) {
      throw invalid("something that is not a message");
    }
    return new Completion(completion, ChatChunk.usageOf(completion.get("usage")));
  }

  private ProviderException invalid(String what) {
    return new ProviderException(
        ProviderException.Kind.INVALID_RESPONSE,
        name(),
        200,
        null,
        name() + " answered 200 with " + what);
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
