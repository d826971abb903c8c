package dev.spillway.lambda.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.problems.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Closes a function's event endpoints (Funqy's CloudEvents path {@code /} and its plain-JSON
 * function paths) to callers on a Lambda function URL. On Lambda, events arrive through SQS or
 * EventBridge on the pass-through path, which AWS authorises; the function URL of quota or drift is
 * open to anyone with the URL and authenticates callers by key, so without this an outsider could
 * post usage or samples that no key vouches for. A request the Lambda Web Adapter made from an HTTP
 * invocation carries {@code x-amzn-request-context}; on such a request these paths answer 404, as
 * if they did not exist. Off Lambda (Knative, local) no request carries the header and nothing
 * changes. Thread-safe.
 */
public final class FunctionUrlGuard {

  private final Set<String> eventPaths;
  private final String notFound;

  /**
   * @param eventPaths the exact paths to close, e.g. {@code /} and {@code /usage-recorded}
   * @param notFound the function's own 404 problem, as its error family renders it
   */
  public FunctionUrlGuard(Set<String> eventPaths, Problem notFound, ObjectMapper mapper) {
    this.eventPaths = Set.copyOf(eventPaths);
    try {
      this.notFound = mapper.writeValueAsString(notFound);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the 404 problem cannot be written as JSON", e);
    }
  }

  /** Registers the guard ahead of every other route. */
  public void register(Router router) {
    router.route().order(-200).handler(this::handle);
  }

  /** True when the request came through an HTTP invocation and asks for an event path. */
  boolean refuses(String path, boolean hasRequestContext) {
    return hasRequestContext && eventPaths.contains(path);
  }

  private void handle(RoutingContext context) {
    if (refuses(
        context.normalizedPath(),
        context.request().headers().contains(PassThroughResource.REQUEST_CONTEXT_HEADER))) {
      context
          .response()
          .setStatusCode(404)
          .putHeader("content-type", Problem.MEDIA_TYPE)
          .end(notFound);
      return;
    }
    context.next();
  }
}
