package dev.spillway.quota.api;

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
   * @throws QuotaException 400 for an empty body, malformed JSON, unknown fields or wrong types
   */
  public <T> T read(RoutingContext context, Class<T> type) {
    try {
      return BufferedJsonBody.read(context, mapper, type);
    } catch (BufferedJsonBody.UnreadableBodyException e) {
      throw failure(e);
    }
  }

  private static QuotaException failure(BufferedJsonBody.UnreadableBodyException e) {
    return e.malformed()
        ? new QuotaException(QuotaError.INVALID_JSON, e.getMessage())
        : QuotaException.invalid(e.getMessage());
  }
}
