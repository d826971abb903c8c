package dev.spillway.lambda.events;

import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * A function's handler for the event types it consumes, shared by every way an event arrives
 * (Funqy's CloudEvents endpoint and the Lambda Web Adapter's pass-through path). Implementations
 * are CDI beans and thread-safe; consuming the same event id twice must have the effect of once.
 */
public interface EventConsumer {

  /** The event types this consumer takes; no two consumers of one function share a type. */
  Set<String> types();

  /**
   * Consumes one event.
   *
   * @return a Uni that completes once the event's effect is durable; it fails with {@link
   *     InvalidEventException} when the event can never be processed (redelivery will not help),
   *     and with any other exception when a later delivery may succeed
   */
  Uni<Void> consume(IncomingEvent event);
}
