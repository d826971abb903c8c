package dev.spillway.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Renders a function's own failures as problem+json on routes outside Quarkus REST. Funqy answers a
 * function's exception with a plain-text 500, but an event whose data is invalid is the sender's
 * mistake and must get its 4xx (a broker would otherwise redeliver it forever). Failures {@code
 * problems} maps to null are left to Quarkus. Thread-safe.
 */
public final class ProblemFailureHandler {

  private final ObjectMapper mapper;
  private final Function<Throwable, Problem> problems;

  /**
   * @param problems the problem for a failure (its causes are tried too), or null to leave it
   */
  public ProblemFailureHandler(ObjectMapper mapper, Function<Throwable, Problem> problems) {
    this.mapper = mapper;
    this.problems = problems;
  }

  /** Registers the handler ahead of Quarkus's own on every route. */
  public void register(Router router) {
    router.route().order(-100).failureHandler(this::handle);
  }

  private void handle(RoutingContext context) {
    Problem problem = null;
    for (Throwable t = context.failure(); t != null && problem == null; t = t.getCause()) {
      problem = problems.apply(t);
    }
    if (problem == null || context.response().headWritten()) {
      context.next();
      return;
    }
    try {
      context
          .response()
          .setStatusCode(problem.status())
          .putHeader("content-type", Problem.MEDIA_TYPE)
          .end(mapper.writeValueAsString(problem));
    } catch (JsonProcessingException e) {
      context.next();
    }
  }
}
