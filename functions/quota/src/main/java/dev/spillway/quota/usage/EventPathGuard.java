package dev.spillway.quota.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.lambda.events.FunctionUrlGuard;
import dev.spillway.quota.api.ProblemResponses;
import dev.spillway.quota.api.QuotaError;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Closes the usage-event endpoints ({@code /}, {@code /usage-recorded}) to Lambda function URL
 * callers: on Lambda, usage arrives only through SQS on the pass-through path ({@link
 * FunctionUrlGuard}).
 */
@Singleton
public class EventPathGuard {

  private final FunctionUrlGuard guard;

  public EventPathGuard(ObjectMapper mapper) {
    this.guard =
        new FunctionUrlGuard(
            Set.of("/", "/usage-recorded"),
            ProblemResponses.problem(QuotaError.NOT_FOUND, "No such resource."),
            mapper);
  }

  void register(@Observes Router router) {
    guard.register(router);
  }
}
