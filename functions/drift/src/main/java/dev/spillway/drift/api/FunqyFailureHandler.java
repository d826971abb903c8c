package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.lambda.events.InvalidEventException;
import dev.spillway.problems.ProblemFailureHandler;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Renders a {@link DriftException} or an {@link InvalidEventException} from an event consumer
 * (invalid data, say) as problem+json with its 4xx, so that a broker does not redeliver it forever;
 * every other failure is left to Quarkus.
 */
@Singleton
public class FunqyFailureHandler {

  private final ProblemFailureHandler handler;

  public FunqyFailureHandler(ObjectMapper mapper) {
    this.handler =
        new ProblemFailureHandler(
            mapper,
            failure -> {
              if (failure instanceof DriftException drift) {
                return ProblemResponses.problem(drift.error(), drift.getMessage());
              }
              if (failure instanceof InvalidEventException invalid) {
                return ProblemResponses.problem(DriftError.INVALID_REQUEST, invalid.getMessage());
              }
              return null;
            });
  }

  void register(@Observes Router router) {
    handler.register(router);
  }
}
