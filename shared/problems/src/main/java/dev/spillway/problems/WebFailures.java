package dev.spillway.problems;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;

/**
 * What the framework's own failures (no such path, wrong method, wrong media type, a body too
 * large) mean for a client, and what to tell it. Every function's error family has a member of each
 * {@link Standard}'s name, so that {@code QuotaError.valueOf(standard.name())} maps it. Stateless;
 * thread-safe.
 */
public final class WebFailures {

  /** The kinds of failure the framework raises before a function's code runs. */
  public enum Standard {
    INVALID_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    BODY_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    /** The function's own failure: logged with its stack, never described to the client. */
    INTERNAL
  }

  private WebFailures() {}

  /** The kind of {@code failure}. */
  public static Standard classify(WebApplicationException failure) {
    int status = failure.getResponse().getStatus();
    if (failure instanceof NotFoundException) {
      return Standard.NOT_FOUND;
    }
    if (failure instanceof NotAllowedException) {
      return Standard.METHOD_NOT_ALLOWED;
    }
    if (failure instanceof NotSupportedException) {
      return Standard.UNSUPPORTED_MEDIA_TYPE;
    }
    return switch (status) {
      case 413 -> Standard.BODY_TOO_LARGE;
      case 401 -> Standard.UNAUTHORIZED;
      case 403 -> Standard.FORBIDDEN;
      default -> status >= 500 ? Standard.INTERNAL : Standard.INVALID_REQUEST;
    };
  }

  /** What to tell the client about a failure of {@code kind} with HTTP {@code status}. */
  public static String detail(Standard kind, int status) {
    return switch (kind) {
      case NOT_FOUND -> "No such resource.";
      case METHOD_NOT_ALLOWED -> "This method is not allowed on this path.";
      case UNSUPPORTED_MEDIA_TYPE -> "Send the body as application/json.";
      case BODY_TOO_LARGE -> "The request body is too large.";
      case UNAUTHORIZED -> "Send a valid key as Authorization: Bearer <key>.";
      case FORBIDDEN -> "This key may not do that.";
      case INVALID_REQUEST -> "The request is invalid (HTTP " + status + ").";
      case INTERNAL -> "The function failed to process the request.";
    };
  }
}
