package dev.spillway.gateway.routing;

import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.usage.Price;

/**
 * One upstream model that can serve a route.
 *
 * @param provider who serves it
 * @param model the upstream model name
 * @param price what it costs
 */
public record Target(ChatProvider provider, String model, Price price) {

  /** {@code provider/model}: how logs, metrics and breakers name the target. */
  public String key() {
    return provider.name() + "/" + model;
  }
}
