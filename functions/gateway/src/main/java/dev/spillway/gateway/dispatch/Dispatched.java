package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.routing.Target;

/**
 * The result of dispatching to the first target that answered.
 *
 * @param result the provider's answer
 * @param target the target that gave it
 * @param attempts targets tried, the successful one included
 */
public record Dispatched<T>(T result, Target target, int attempts) {}
