package dev.spillway.gateway.provider.anthropic;

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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Anthropic's Messages API behind the gateway's OpenAI-shaped interface. Request, response and
 * stream translation live in their own classes; this one holds the transport facts (path, headers).
 * Thread-safe.
 */
public final class AnthropicProvider extends HttpChatProvider {

  private static final String PATH = "/v1/messages";

  private final ObjectMapper mapper;
  private final AnthropicRequestMapper requests;

  public AnthropicProvider(
      UpstreamHttp http,
      ObjectMapper mapper,
      Optional<String> apiKey,
      String anthropicVersion,
      int defaultMaxTokens) {
    super(http, PATH, headers(apiKey, anthropicVersion));
    this.mapper = mapper;
    this.requests = new AnthropicRequestMapper(mapper, defaultMaxTokens);
  }

  private static Map<String, String> headers(Optional<String> apiKey, String anthropicVersion) {
    Map<String, String> headers = new HashMap<>();
    headers.put("anthropic-version", anthropicVersion);
    apiKey.filter(k -> !k.isBlank()).ifPresent(k -> headers.put("x-api-key", k));
    return headers;
  }

  @Override
  protected byte[] encodeRequest(UpstreamCall call, boolean stream) {
    ObjectNode body = requests.map(call.request(), call.upstreamModel(), stream);
    try {
      return mapper.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
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
    ObjectNode completion =
        json == null ? null : AnthropicResponses.completion(mapper, json, nowSeconds());
    if (completion == null) {
      throw invalidAnswer("something that is not a message");
    }
    return new Completion(completion, ChatChunk.usageOf(completion.get("usage")));
  }

  @Override
  protected StreamDecoder newStreamDecoder() {
    return new AnthropicStreamMapper(mapper, name(), nowSeconds());
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
