package dev.spillway.embedding.error;

import dev.spillway.openai.OpenAiError;
import io.quarkus.logging.Log;
import jakarta.ws.rs.WebApplicationException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * The one place where a failure becomes what the client sees: a status, OpenAI's error shape {@code
 * {"error":{"message","type","param","code"}}}, an optional {@code Retry-After}, and a log line at
 * the level it deserves (client mistakes at DEBUG, overload at INFO, the function's own bugs at
 * ERROR with the stack). Messages never carry input texts. Stateless and thread-safe.
 */
public final class ErrorResponses {

  /**
   * What to send for a failure.
   *
   * @param retryAfterSeconds the {@code Retry-After} value, or -1 for none
   */
  public record Rendered(int status, OpenAiError body, long retryAfterSeconds) {}

  private ErrorResponses() {}

  public static Rendered render(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApiException api) {
      if (api.error() == ApiError.OVERLOADED) {
        Log.infof("request refused: %s", api.getMessage());
      } else {
        Log.debugf("request refused: %s", api.getMessage());
      }
      return of(api.error(), api.param(), api.getMessage(), api.retryAfterSeconds());
    }
    if (cause instanceof WebApplicationException web) {
      // JAX-RS's own refusals (unknown path 404, wrong method 405, unsupported media 415) keep
      // their status; only the body takes OpenAI's shape.
      int status = web.getResponse().getStatus();
      if (status < 500) {
        Log.debugf("request refused by JAX-RS: %d", status);
        return new Rendered(
            status,
            new OpenAiError(
                web.getResponse().getStatusInfo().getReasonPhrase(),
                "invalid_request_error",
                null,
                null),
            -1);
      }
    }
    if (cause instanceof CancellationException) {
      return of(
          ApiError.UNAVAILABLE,
          null,
          "The embedding function is shutting down; retry on another instance.",
          1);
    }
    Log.errorf(cause, "embedding request failed inside the function");
    return of(ApiError.INTERNAL, null, "The embedding function failed to process the request.", -1);
  }

  private static Rendered of(ApiError error, String param, String message, long retryAfter) {
    return new Rendered(
        error.status(), new OpenAiError(message, error.type(), param, error.code()), retryAfter);
  }
}
