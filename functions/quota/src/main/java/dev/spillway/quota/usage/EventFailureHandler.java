package dev.spillway.quota.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.lambda.events.InvalidEventException;
import dev.spillway.problems.ProblemFailureHandler;
import dev.spillway.quota.api.ProblemResponses;
import dev.spillway.quota.api.QuotaError;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Renders {@link InvalidEventException} from the usage-event consumer (Funqy) as a problem+json 400
 * through {@link ProblemResponses}, so that a broker does not redeliver invalid data forever; every
 * other failure is left to Quarkus.
 */
@Singleton
public class EventFailureHandler {

  private final ProblemFailureHandler handler;

  public EventFailureHandler(ObjectMapper mapper) {
    this.handler =
        new ProblemFailureHandler(
            mapper,
            failure ->
                failure instanceof InvalidEventException invalid
                    ? ProblemResponses.problem(QuotaError.INVALID_REQUEST, invalid.getMessage())
                    : null);
  }

  void register(@Observes Router router) {
    handler.register(router);
  }
}
