package dev.spillway.gateway.api;

import dev.spillway.gateway.dispatch.DispatchFailedException;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.openai.InvalidRequestException;
import dev.spillway.openai.OpenAiError;
import io.quarkus.logging.Log;
import java.time.Duration;

/**
 * The one place where a failure becomes what the client sees: a status, OpenAI's error shape, an
 * optional {@code Retry-After}, and a log line at the level the failure deserves (client mistakes
 * at DEBUG, provider trouble at WARN, the gateway's own bugs at ERROR with the stack). Messages
 * never carry keys, prompts or raw upstream bodies. Stateless and thread-safe.
 */
public final class ErrorResponses {

  /**
   * What to send for a failure.
   *
   * @param retryAfterSeconds the {@code Retry-After} value, or -1 for none
   * @param retryAfterMillis the {@code retry-after-ms} value, or -1 for none
   */
  public record Rendered(
      int status, OpenAiError body, long retryAfterSeconds, long retryAfterMillis) {

    public Rendered(int status, OpenAiError body, long retryAfterSeconds) {
      this(status, body, retryAfterSeconds, retryAfterSeconds < 0 ? -1 : retryAfterSeconds * 1000);
    }
  }

  public Rendered render(Throwable failure, String requestId) {
    if (failure instanceof ApiException api) {
      Log.debugf("request %s refused: %s", requestId, api.getMessage());
      ApiError error = api.error();
      return new Rendered(
          error.status(),
          new OpenAiError(api.getMessage(), error.type(), api.param(), error.code()),
          api.retryAfterSeconds(),
          api.retryAfterMillis());
    }
    if (failure instanceof InvalidRequestException invalid) {
      Log.debugf("request %s invalid: %s", requestId, invalid.getMessage());
      return of(ApiError.INVALID_REQUEST, 400, invalid.param(), invalid.getMessage(), -1);
    }
    if (failure instanceof DispatchFailedException dispatch) {
      return upstream(dispatch.last(), dispatch.attempts(), requestId);
    }
    if (failure instanceof ProviderException provider) {
      return upstream(provider, 1, requestId);
    }
    Log.errorf(failure, "request %s failed inside the gateway", requestId);
    return of(
        ApiError.INTERNAL,
        500,
        null,
        "The gateway failed to process the request (request id " + requestId + ").",
        -1);
  }

  private Rendered upstream(ProviderException last, int attempts, String requestId) {
    String tried = attempts == 1 ? "1 target" : attempts + " targets";
    if (last.byClientConstraint()) {
      Log.debugf("request %s: client constraint %s unmet", requestId, last.clientConstraint());
      return of(
          ApiError.CONSTRAINTS_UNSATISFIED,
          422,
          last.clientConstraint(),
          "No answer met the request's own "
              + last.clientConstraint()
              + " ("
              + (attempts == 1 ? "1 attempt" : attempts + " attempts")
              + "); last: "
              + last.getMessage()
              + ". Change "
              + last.clientConstraint()
              + " and retry.",
          -1);
    }
    return switch (last.kind()) {
      case CLIENT_ERROR -> {
        Log.debugf("request %s rejected upstream: %s", requestId, last.getMessage());
        yield of(ApiError.UPSTREAM_REJECTED, last.status(), null, last.getMessage(), -1);
      }
      case RATE_LIMITED -> {
        Duration retry = last.retryAfter();
        long seconds = retry == null ? 1 : Math.max(1, (retry.toMillis() + 999) / 1000);
        if (last.status() == 0) {
          // The gateway skipped the last target itself: the caller's share of its provider
          // account is used up, and nothing was sent upstream.
          Log.debugf("request %s: provider-account quota used up (%s tried)", requestId, tried);
          yield of(
              ApiError.RATE_LIMIT_EXCEEDED,
              429,
              null,
              "Rate limit reached: your share of the provider accounts serving this model is used"
                  + " up for now; retry after "
                  + seconds
                  + " s.",
              seconds);
        }
        Log.warnf("request %s: every target rate-limited (%s tried)", requestId, tried);
        yield of(
            ApiError.UPSTREAM_RATE_LIMITED,
            429,
            null,
            "Upstream providers are rate-limiting this model (" + tried + " tried); retry later.",
            seconds);
      }
      case OVERLOADED -> {
        Log.warnf("request %s: shed (%s tried): %s", requestId, tried, last.getMessage());
        yield of(
            ApiError.OVERLOADED,
            503,
            null,
            "The gateway is at capacity for this model and your priority tier; retry after the"
                + " Retry-After interval.",
            retrySeconds(last.retryAfter()));
      }
      case CIRCUIT_OPEN -> {
        Log.warnf("request %s: every target's circuit breaker is open", requestId);
        yield of(
            ApiError.CIRCUIT_OPEN,
            503,
            null,
            "Every upstream for this model is failing and temporarily cut off; retry later.",
            retrySeconds(last.retryAfter()));
      }
      case DEADLINE_EXCEEDED -> {
        Log.debugf("request %s: deadline exceeded (%s tried)", requestId, tried);
        yield of(
            ApiError.DEADLINE_EXCEEDED,
            504,
            null,
            "The request's deadline passed before the answer was complete (" + tried + " tried).",
            -1);
      }
      case TIMEOUT -> {
        Log.warnf(
            "request %s: upstream timed out (%s tried): %s", requestId, tried, last.getMessage());
        yield of(
            ApiError.UPSTREAM_TIMEOUT,
            504,
            null,
            "No upstream answered in time (" + tried + " tried): " + last.getMessage(),
            -1);
      }
      default -> {
        Log.warnf(
            "request %s: upstream failed (%s tried): %s", requestId, tried, last.getMessage());
        yield of(
            ApiError.UPSTREAM_FAILED,
            502,
            null,
            "No upstream could serve the request (" + tried + " tried); last: " + last.getMessage(),
            -1);
      }
    };
  }

  private static long retrySeconds(Duration retryAfter) {
    return retryAfter == null ? 1 : Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  private static Rendered of(
      ApiError error, int status, String param, String message, long retryAfterSeconds) {
    return new Rendered(
        status, new OpenAiError(message, error.type(), param, error.code()), retryAfterSeconds);
  }
}
