package dev.spillway.quota.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.spillway.lambda.events.InvalidEventException;
import dev.spillway.problems.JsonProblems;
import dev.spillway.problems.Problem;
import dev.spillway.problems.WebFailures;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where a failure becomes what the client sees: a status, a problem+json body and a
 * log line at the level the failure deserves (client mistakes at DEBUG, the function's own bugs at
 * ERROR with the stack). Details name the field at fault and never carry keys.
 */
public class ProblemResponses {

  @ServerExceptionMapper
  public Response quota(QuotaException failure) {
    Log.debugf("refused: %s", failure.getMessage());
    return render(failure.error(), failure.getMessage());
  }

  /** An event on the Lambda pass-through path that can never be counted: 400, never retried. */
  @ServerExceptionMapper
  public Response event(InvalidEventException failure) {
    Log.debugf("event refused: %s", failure.getMessage());
    return render(QuotaError.INVALID_REQUEST, failure.getMessage());
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException failure) {
    Log.debugf("unreadable body: %s", failure.getOriginalMessage());
    return render(QuotaError.INVALID_JSON, JsonProblems.describe(failure));
  }

  // Declared for the subtype too: Quarkus REST ships a built-in mapper for it that answers an empty
  // 400, and the most specific mapper wins.
  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException failure) {
    return json(failure);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException failure) {
    // Quarkus REST wraps body deserialisation failures; unwrap them to name the field.
    if (failure.getCause() instanceof JsonProcessingException json) {
      return json(json);
    }
    WebFailures.Standard kind = WebFailures.classify(failure);
    if (kind == WebFailures.Standard.INTERNAL) {
      Log.errorf(failure, "request failed inside the quota function");
      return render(QuotaError.INTERNAL, "The quota function failed to process the request.");
    }
    // Every member of the standard kinds has a namesake in the error family.
    return render(
        QuotaError.valueOf(kind.name()),
        WebFailures.detail(kind, failure.getResponse().getStatus()));
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable failure) {
    if (failure.getCause() instanceof JsonProcessingException json) {
      return json(json);
    }
    Log.errorf(failure, "request failed inside the quota function");
    return render(QuotaError.INTERNAL, "The quota function failed to process the request.");
  }

  /** A problem+json response for {@code error}. */
  public static Response render(QuotaError error, String detail) {
    return Response.status(error.status())
        .type(Problem.MEDIA_TYPE)
        .entity(problem(error, detail))
        .build();
  }

  /** The problem document for {@code error}, for the routes outside Quarkus REST (Funqy). */
  public static Problem problem(QuotaError error, String detail) {
    return Problem.of(error, detail);
  }
}
