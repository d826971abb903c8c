package dev.spillway.gateway.routing;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.openai.ChatCompletionRequest;
import java.util.List;

/**
 * Orders the targets a request may be dispatched to. The seam where quality floors, price, TTFT and
 * circuit state will weigh in; implementations must be thread-safe and must not block.
 */
public interface RoutingPolicy {

  /** The targets to try, first choice first; never empty. */
  List<Target> candidates(Route route, ChatCompletionRequest request, Caller caller);
}
