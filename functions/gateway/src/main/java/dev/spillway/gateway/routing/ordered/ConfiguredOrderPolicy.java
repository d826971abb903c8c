package dev.spillway.gateway.routing.ordered;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RoutingPolicy;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import java.util.List;

/** Tries targets in the order the route's configuration lists them. Stateless. */
public final class ConfiguredOrderPolicy implements RoutingPolicy {

  @Override
  public List<Target> candidates(Route route, ChatCompletionRequest request, Caller caller) {
    return route.targets();
  }
}
