package dev.spillway.quota.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.problems.Problem;
import dev.spillway.quota.api.ProblemResponses;
import dev.spillway.quota.api.QuotaError;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Funqy answers a function's exception with a plain-text 500; an event whose data is invalid is the
 * sender's mistake and must get a 4xx (a broker would otherwise redeliver it forever). This failure
 * handler renders {@link InvalidEventException} as problem+json through {@link ProblemResponses}
 * and leaves every other failure to Quarkus.
 */
@Singleton
public class EventFailureHandler {

  private final ObjectMapper mapper;

  public EventFailureHandler(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void register(@Observes Router router) {
    router.route().order(-100).failureHandler(this::handle);
  }

  private void handle(RoutingContext context) {
    InvalidEventException invalid = invalid(context.failure());
    if (invalid == null || context.response().headWritten()) {
      context.next();
      return;
    }
    Problem problem = ProblemResponses.problem(QuotaError.INVALID_REQUEST, invalid.getMessage());
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

  private static InvalidEventException invalid(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidEventException invalid) {
        return invalid;
      }
    }
    return null;
  }
}
