package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.routing.Target;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * A stream whose first output has arrived and won the race, ready to relay.
 *
 * @param head the chunks so far, the last one carrying output; validated
 * @param rest the remaining chunks, watched for stalls, validated as they pass, recovered on
 *     another target if the route allows it; fails with a {@link
 *     dev.spillway.gateway.provider.ProviderException} when the stream cannot be completed. Cancel
 *     it to close the upstream.
 * @param target the target whose output began the stream
 * @param attempts upstream requests sent before the stream began
 * @param summary what the stream consumed, for accounting; resolves once {@code rest} has ended
 */
public record StreamDispatch(
    List<ChatChunk> head, Multi<ChatChunk> rest, Target target, int attempts, Summary summary) {

  /** Usage of a stream, over every upstream call that contributed to it. */
  public interface Summary {
    /**
     * The usage of every call, reported or counted; the item arrives on the caller's context. Call
     * it after the stream ended (completed, failed or cancelled).
     */
    Uni<StreamSummary> resolve();
  }
}
