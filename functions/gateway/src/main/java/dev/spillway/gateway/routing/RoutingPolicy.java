package dev.spillway.gateway.routing;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.openai.ChatCompletionRequest;
import java.util.concurrent.CompletionStage;

/**
 * Orders the targets a request may be dispatched to: the seam where quality floors, price and
 * circuit state weigh in. Implementations must be thread-safe and must not block; a decision that
 * needs no I/O comes back already completed.
 */
public interface RoutingPolicy {

  /**
   * @param category the category the client named for its request ({@code x-spillway-category}), or
   *     null
   * @return the decision; completed exceptionally with an {@link
   *     dev.spillway.openai.InvalidRequestException} for a client's mistake (an unknown category)
   */
  CompletionStage<RouteDecision> decide(
      Route route, ChatCompletionRequest request, String category, Caller caller);
}
