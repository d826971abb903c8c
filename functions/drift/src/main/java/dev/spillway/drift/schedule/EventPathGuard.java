package dev.spillway.drift.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.drift.api.DriftError;
import dev.spillway.drift.api.ProblemResponses;
import dev.spillway.lambda.events.FunctionUrlGuard;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Closes the event and schedule endpoints ({@code /}, {@code /query-sampled}, {@code /drift-run})
 * to Lambda function URL callers: on Lambda, samples arrive only through SQS and runs only through
 * EventBridge, on the pass-through path ({@link FunctionUrlGuard}).
 */
@Singleton
public class EventPathGuard {

  private final FunctionUrlGuard guard;

  public EventPathGuard(ObjectMapper mapper) {
    this.guard =
        new FunctionUrlGuard(
            Set.of("/", "/query-sampled", "/drift-run"),
            ProblemResponses.problem(DriftError.NOT_FOUND, "No such resource."),
            mapper);
  }

  void register(@Observes Router router) {
    guard.register(router);
  }
}
