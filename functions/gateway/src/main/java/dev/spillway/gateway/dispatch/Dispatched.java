package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.routing.Target;

/**
 * The result of dispatching a non-streaming request to the first target that answered validly.
 *
 * @param result the provider's answer
 * @param target the target that gave it
 * @param attempts upstream requests sent, the successful one included (retries and hedges count)
 */
public record Dispatched<T>(T result, Target target, int attempts) {}
