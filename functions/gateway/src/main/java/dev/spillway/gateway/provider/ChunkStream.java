package dev.spillway.gateway.provider;

import io.smallrye.mutiny.Multi;
import java.util.List;

/**
 * A stream whose first output has arrived: the chunks up to and including it, and the rest.
 *
 * <p>This split is what lets the gateway hold its own 200 until the upstream has proved it is
 * answering (the shape TensorZero uses). {@code rest} may be subscribed to once; cancelling it
 * closes the upstream connection.
 *
 * @param head chunks received so far; the last one carries output
 * @param rest the remaining chunks; fails with {@link ProviderException} if the upstream breaks
 */
public record ChunkStream(List<ChatChunk> head, Multi<ChatChunk> rest) {

  public ChunkStream {
    head = List.copyOf(head);
  }
}
