package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.problems.BufferedJsonBody;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Reads request bodies into their wire types with the application's {@link ObjectMapper} (unknown
 * fields refused) from the routing context's buffered body ({@link BufferedJsonBody} says why not
 * Quarkus REST's binding), turning every failure into a 400 that names the field. Thread-safe.
 */
@Singleton
public class JsonBodies {

  private final ObjectMapper mapper;

  public JsonBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The body as {@code type}.
   *
   * @throws DriftException 400 for an empty body, malformed JSON, unknown fields or wrong types
   */
  public <T> T read(RoutingContext context, Class<T> type) {
    try {
      return BufferedJsonBody.read(context, mapper, type);
    } catch (BufferedJsonBody.UnreadableBodyException e) {
      throw failure(e);
    }
  }

  /** The body as {@code type}, or null when the request has none (an optional body). */
  public <T> T readOptional(RoutingContext context, Class<T> type) {
    try {
      return BufferedJsonBody.readOptional(context, mapper, type);
    } catch (BufferedJsonBody.UnreadableBodyException e) {
      throw failure(e);
    }
  }

  private static DriftException failure(BufferedJsonBody.UnreadableBodyException e) {
    return e.malformed()
        ? new DriftException(DriftError.INVALID_JSON, e.getMessage())
        : DriftException.invalid(e.getMessage());
  }
}
