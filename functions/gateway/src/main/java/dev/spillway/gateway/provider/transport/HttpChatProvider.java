package dev.spillway.gateway.provider.transport;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every HTTP provider does the same way: POST the mapped request, read a whole answer or
 * decode a stream into chunks split at the first output. A dialect supplies only its transport
 * facts (path, fixed headers) and its request, response and stream mappings. Thread-safe when the
 * dialect's mappings are.
 */
public abstract class HttpChatProvider implements ChatProvider {

  private final UpstreamHttp http;
  private final String path;
  private final Map<String, String> fixedHeaders;

  /**
   * @param path the endpoint, relative to the provider's base URL
   * @param fixedHeaders headers sent with every request (credentials, API version)
   */
  protected HttpChatProvider(UpstreamHttp http, String path, Map<String, String> fixedHeaders) {
    this.http = http;
    this.path = path;
    this.fixedHeaders = Map.copyOf(fixedHeaders);
  }

  @Override
  public final String name() {
    return http.provider();
  }

  @Override
  public final Uni<Completion> complete(UpstreamCall call) {
    return http.post(path, headersFor(call), encodeRequest(call, false))
        .flatMap(UpstreamHttp.Exchange::body)
        .map(this::decodeCompletion);
  }

  @Override
  public final Uni<ChunkStream> stream(UpstreamCall call) {
    return http.post(path, headersFor(call), encodeRequest(call, true))
        .flatMap(
            exchange -> {
              StreamDecoder decoder = newStreamDecoder();
              return FirstOutputSplitter.split(
                  exchange
                      .bodyStream()
                      .onItem()
                      .transformToIterable(bytes -> feed(decoder, bytes))
                      .onCompletion()
                      .call(decoder::requireEnd),
                  name());
            });
  }

  /** One buffer through the decoder; an over-long SSE line ends the attempt as a bad answer. */
  private List<ChatChunk> feed(StreamDecoder decoder, byte[] bytes) {
    try {
      return decoder.feed(bytes);
    } catch (SseDecoder.TooLong e) {
      throw invalidAnswer(e.getMessage());
    }
  }

  /** The request body for this dialect; {@code stream} asks for an event stream. */
  protected abstract byte[] encodeRequest(UpstreamCall call, boolean stream);

  /**
   * A whole non-streaming answer as an OpenAI completion.
   *
   * @throws ProviderException ({@code INVALID_RESPONSE}) when the body is not a valid answer
   */
  protected abstract Completion decodeCompletion(byte[] body);

  /** A fresh decoder for one streaming body. */
  protected abstract StreamDecoder newStreamDecoder();

  /** The failure for a 200 whose body is not a valid answer. */
  protected final ProviderException invalidAnswer(String what) {
    return new ProviderException(
        ProviderException.Kind.INVALID_RESPONSE,
        name(),
        200,
        null,
        name() + " answered 200 with " + what);
  }

  private Map<String, String> headersFor(UpstreamCall call) {
    Map<String, String> headers = new HashMap<>(fixedHeaders);
    headers.put("x-request-id", call.requestId());
    return headers;
  }
}
