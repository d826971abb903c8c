package dev.spillway.gateway.provider.transport;

import dev.spillway.gateway.provider.ChatChunk;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Turns one upstream streaming body into OpenAI chunks, buffer by buffer. One per stream, fed from
 * one event loop; not thread-safe.
 */
public interface StreamDecoder {

  /**
   * Decodes the next network buffer.
   *
   * @return the chunks it completes, often none
   * @throws dev.spillway.gateway.provider.ProviderException when the upstream reports an error or
   *     sends something that is not its dialect
   */
  List<ChatChunk> feed(byte[] bytes);

  /**
   * Called when the body ends: succeeds if the stream ended properly (its dialect's terminator was
   * seen), fails with a {@code STREAM_BROKEN} {@link
   * dev.spillway.gateway.provider.ProviderException} if it was cut.
   */
  Uni<Void> requireEnd();
}
