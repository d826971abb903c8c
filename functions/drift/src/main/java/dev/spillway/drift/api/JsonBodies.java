package dev.spillway.drift.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Reads request bodies into their wire types with the application's {@link ObjectMapper} (unknown
 * fields refused), turning every failure into a 400 that names the field.
 *
 * <p>Why not let Quarkus REST bind the body: Funqy in the same application makes Quarkus buffer
 * every request body (a body handler on every route), and on this platform (3.34.1) a non-blocking
 * Quarkus REST endpoint then reads bodies over about 16 KB as zero bytes, whatever the parameter
 * type (a batch of 1,000 vectors is 4 MB). The buffered body on the routing context is complete and
 * correct, so it is read from there. Thread-safe.
 */
@Singleton
public class JsonBodies {

  private final ObjectMapper mapper;

  public JsonBodies(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The body as {@code type}, or null when the request has none (an optional body). */
  public <T> T readOptional(RoutingContext context, Class<T> type) {
    RequestBody requestBody = context.body();
    Buffer buffer = requestBody == null ? null : requestBody.buffer();
    if (buffer == null || buffer.length() == 0) {
      return null;
    }
    return read(context, type);
  }

  /**
   * The body as {@code type}.
   *
   * @throws DriftException 400 for an empty body, malformed JSON, unknown fields or wrong types
   */
  public <T> T read(RoutingContext context, Class<T> type) {
    RequestBody requestBody = context.body();
    Buffer buffer = requestBody == null ? null : requestBody.buffer();
    byte[] body = buffer == null ? null : buffer.getBytes();
    if (body == null || body.length == 0) {
      throw DriftException.invalid("The request needs a JSON body.");
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw DriftException.invalid("The body must be a JSON object, not null.");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new DriftException(DriftError.INVALID_JSON, ProblemResponses.describe(e));
    } catch (IOException e) {
      throw new DriftException(DriftError.INVALID_JSON, "The body could not be read.");
    }
  }
}
