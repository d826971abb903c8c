package dev.spillway.drift.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.spillway.problems.JsonProblems;
import dev.spillway.problems.Problem;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
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
  public Response drift(DriftException failure) {
    Log.debugf("refused: %s", failure.getMessage());
    return render(failure.error(), failure.getMessage());
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException failure) {
    Log.debugf("unreadable body: %s", failure.getOriginalMessage());
    return render(DriftError.INVALID_JSON, JsonProblems.describe(failure));
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
    int status = failure.getResponse().getStatus();
    DriftError error;
    if (failure instanceof NotFoundException) {
      error = DriftError.NOT_FOUND;
    } else if (failure instanceof NotAllowedException) {
      error = DriftError.METHOD_NOT_ALLOWED;
    } else if (failure instanceof NotSupportedException) {
      error = DriftError.UNSUPPORTED_MEDIA_TYPE;
    } else if (status == 413) {
      error = DriftError.BODY_TOO_LARGE;
    } else if (status == 401) {
      error = DriftError.UNAUTHORIZED;
    } else if (status == 403) {
      error = DriftError.FORBIDDEN;
    } else {
      error = status >= 500 ? DriftError.INTERNAL : DriftError.INVALID_REQUEST;
    }
    if (error == DriftError.INTERNAL) {
      Log.errorf(failure, "request failed inside the drift function");
      return render(error, "The drift function failed to process the request.");
    }
    String detail =
        switch (error) {
          case NOT_FOUND -> "No such resource.";
          case METHOD_NOT_ALLOWED -> "This method is not allowed on this path.";
          case UNSUPPORTED_MEDIA_TYPE -> "Send the body as application/json.";
          case BODY_TOO_LARGE -> "The request body is too large.";
          case UNAUTHORIZED -> "Send a valid key as Authorization: Bearer <key>.";
          case FORBIDDEN -> "This key may not do that.";
          default -> "The request is invalid (HTTP " + status + ").";
        };
    return render(error, detail);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable failure) {
    if (failure.getCause() instanceof JsonProcessingException json) {
      return json(json);
    }
    Log.errorf(failure, "request failed inside the drift function");
    return render(DriftError.INTERNAL, "The drift function failed to process the request.");
  }

  /** A problem+json response for {@code error}. */
  public static Response render(DriftError error, String detail) {
    return Response.status(error.status())
        .type(Problem.MEDIA_TYPE)
        .entity(problem(error, detail))
        .build();
  }

  /** The problem document for {@code error}, for the routes outside Quarkus REST (Funqy). */
  public static Problem problem(DriftError error, String detail) {
    return Problem.of(error, detail);
  }
}
