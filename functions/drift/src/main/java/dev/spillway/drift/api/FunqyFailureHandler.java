package dev.spillway.drift.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.problems.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Funqy answers a function's exception with a plain-text 500; a {@link DriftException} from an
 * event consumer (invalid data, an unknown tenant) is the sender's mistake and must get its 4xx (a
 * broker would otherwise redeliver it forever). This failure handler renders it as problem+json
 * through {@link ProblemResponses} and leaves every other failure to Quarkus.
 */
@Singleton
public class FunqyFailureHandler {

  private final ObjectMapper mapper;

  public FunqyFailureHandler(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void register(@Observes Router router) {
    router.route().order(-100).failureHandler(this::handle);
  }

  private void handle(RoutingContext context) {
    DriftException failure = driftFailure(context.failure());
    if (failure == null || context.response().headWritten()) {
      context.next();
      return;
    }
    Problem problem = ProblemResponses.problem(failure.error(), failure.getMessage());
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

  private static DriftException driftFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DriftException drift) {
        return drift;
      }
    }
    return null;
  }
}
