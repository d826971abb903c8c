package dev.spillway.gateway.provider.openai;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.transport.SseDecoder;
import dev.spillway.gateway.provider.transport.SseEvent;
import dev.spillway.gateway.provider.transport.StreamDecoder;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenAI-compatible SSE body into chunks. A stream is complete only with {@code data:
 * [DONE]}; one that ends without it was cut, and is reported as broken rather than passed on as a
 * clean (but truncated) answer. One per stream, not thread-safe.
 */
final class OpenAiStreamMapper implements StreamDecoder {

  private static final String DONE = "[DONE]";

  private final SseDecoder decoder = new SseDecoder();
  private final String provider;
  private boolean done;

  OpenAiStreamMapper(String provider) {
    this.provider = provider;
  }

  @Override
  public List<ChatChunk> feed(byte[] bytes) {
    List<SseEvent> events = decoder.feed(bytes);
    if (events.isEmpty() || done) {
      return List.of();
    }
    List<ChatChunk> chunks = new ArrayList<>(events.size());
    for (SseEvent event : events) {
      String data = event.data();
      if (DONE.equals(data.trim())) {
        done = true;
        break;
      }
      chunks.add(chunk(data));
    }
    return chunks;
  }

  private ChatChunk chunk(String data) {
    // A multi-line data field cannot be relayed as one "data:" line: re-encode that rare chunk.
    boolean singleLine = data.indexOf('\n') < 0 && data.indexOf('\r') < 0;
    try {
      return ChatChunk.read(data, singleLine);
    } catch (ChatChunk.Unreadable e) {
      throw broken(e.getMessage());
    }
  }

  @Override
  public Uni<Void> requireEnd() {
    return done
        ? Uni.createFrom().voidItem()
        : Uni.createFrom().failure(broken("a stream that ended before [DONE]"));
  }

  private ProviderException broken(String what) {
    return new ProviderException(
        ProviderException.Kind.STREAM_BROKEN, provider, 200, null, provider + " sent " + what);
  }
}
