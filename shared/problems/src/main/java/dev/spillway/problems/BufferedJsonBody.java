package dev.spillway.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * Reads a request body into its wire type from the routing context's buffered body.
 *
 * <p>Why not let Quarkus REST bind the body: Funqy in the same application makes Quarkus buffer
 * every request body (a body handler on every route), and on this platform (3.34.1) a non-blocking
 * Quarkus REST endpoint then reads bodies over about 16 KB as zero bytes, whatever the parameter
 * type. The buffered body on the routing context is complete and correct, so it is read from there.
 * Stateless; thread-safe.
 */
public final class BufferedJsonBody {

  /** A body that cannot be read as the type asked for; {@code detail} names the field at fault. */
  public static final class UnreadableBodyException extends RuntimeException {

    private final boolean malformed;

    UnreadableBodyException(String detail, boolean malformed) {
      super(detail, null, false, false);
      this.malformed = malformed;
    }

    /** True for JSON that does not parse or bind; false for a missing or null body. */
    public boolean malformed() {
      return malformed;
    }
  }

  private BufferedJsonBody() {}

  /**
   * The body as {@code type}.
   *
   * @throws UnreadableBodyException for an empty or null body, malformed JSON, unknown fields (when
   *     the mapper refuses them) or wrong types
   */
  public static <T> T read(RoutingContext context, ObjectMapper mapper, Class<T> type) {
    byte[] body = bytes(context);
    if (body == null || body.length == 0) {
      throw new UnreadableBodyException("The request needs a JSON body.", false);
    }
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new UnreadableBodyException("The body must be a JSON object, not null.", false);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new UnreadableBodyException(JsonProblems.describe(e), true);
    } catch (IOException e) {
      throw new UnreadableBodyException("The body could not be read.", true);
    }
  }

  /** The body as {@code type}, or null when the request has none (an optional body). */
  public static <T> T readOptional(RoutingContext context, ObjectMapper mapper, Class<T> type) {
    byte[] body = bytes(context);
    return body == null || body.length == 0 ? null : read(context, mapper, type);
  }

  private static byte[] bytes(RoutingContext context) {
    RequestBody requestBody = context.body();
    Buffer buffer = requestBody == null ? null : requestBody.buffer();
    return buffer == null ? null : buffer.getBytes();
  }
}
