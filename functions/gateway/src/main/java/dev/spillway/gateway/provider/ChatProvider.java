package dev.spillway.gateway.provider;

import io.smallrye.mutiny.Uni;

/**
 * One upstream provider account, speaking OpenAI's Chat Completions shape to the gateway whatever
 * its own dialect.
 *
 * <p>Implementations are thread-safe and non-blocking: they run on Vert.x event loops and return at
 * once. Failures arrive as {@link ProviderException}, classified so the dispatcher can decide
 * whether another target may be tried.
 */
public interface ChatProvider {

  /** The configured provider name (a bounded metric label). */
  String name();

  /**
   * A non-streaming completion.
   *
   * @return a {@code chat.completion} object; fails with {@link ProviderException}
   */
  Uni<Completion> complete(UpstreamCall call);

  /**
   * A streaming completion. The returned {@link Uni} completes only once the first chunk that
   * carries output has arrived, so that a failure before it can still fall back to another target
   * without the client noticing; cancelling the stream closes the upstream connection.
   *
   * @return the chunks so far and the rest of the stream; fails with {@link ProviderException}
   */
  Uni<ChunkStream> stream(UpstreamCall call);
}
