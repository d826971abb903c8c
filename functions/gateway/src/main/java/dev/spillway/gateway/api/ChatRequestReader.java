package dev.spillway.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteTable;
import dev.spillway.gateway.validation.CompiledSchema;
import dev.spillway.gateway.validation.ResponseValidator;
import dev.spillway.gateway.validation.SchemaCache;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.openai.ResponseFormat;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Optional;

/**
 * The parse stage of the chat path: a body and the client's timeout header become a request, the
 * route that serves it, and its deadline, or an {@link ApiException} naming what is wrong.
 *
 * <p>Everything a client can get wrong is found here, before any quota is reserved or any upstream
 * is asked: JSON syntax, the Chat Completions contract, an unknown model, a timeout header out of
 * range, a {@code response_format} schema the gateway cannot compile (it would otherwise be sent
 * upstream and end as a 502), and fields that would act on the gateway's provider account where the
 * route does not allow them. Stateless apart from the shared schema cache; thread-safe.
 */
public final class ChatRequestReader {

  /** What the parse stage hands on. */
  public record Parsed(ChatCompletionRequest request, Route route, long deadlineNanos) {}

  private static final int MAX_ECHOED_MODEL_CHARS = 100;

  /** A day: anything longer is a unit mistake (seconds or microseconds), better refused. */
  private static final long MAX_CLIENT_TIMEOUT_MS = 86_400_000L;

  private final ChatCompletionRequestParser parser = new ChatCompletionRequestParser();
  private final ObjectMapper mapper;
  private final RouteTable routes;
  private final SchemaCache schemas;

  public ChatRequestReader(ObjectMapper mapper, RouteTable routes, SchemaCache schemas) {
    this.mapper = mapper;
    this.routes = routes;
    this.schemas = schemas;
  }

  /**
   * @param body the request body as received
   * @param clientTimeout the {@code x-spillway-timeout-ms} header, or null
   * @param startNanos when the request arrived, on {@link System#nanoTime()}
   * @throws ApiException or {@link dev.spillway.openai.InvalidRequestException} naming the field
   */
  public Parsed read(Buffer body, String clientTimeout, long startNanos) {
    ChatCompletionRequest request = parser.parse(readJson(body));
    Route route =
        routes
            .find(request.model())
            .orElseThrow(
                () ->
                    new ApiException(
                        ApiError.MODEL_NOT_FOUND,
                        "model",
                        "The model '"
                            + abbreviate(request.model())
                            + "' does not exist. GET /v1/models lists the models you can use."));
    Optional<String> refused = route.rules().accountFields().firstRefused(request.raw());
    if (refused.isPresent()) {
      throw new ApiException(
          ApiError.INVALID_REQUEST,
          refused.get(),
          "'"
              + refused.get()
              + "' acts on the gateway's provider account and is not enabled for the model '"
              + route.name()
              + "'; remove it, or ask the gateway's operator to allow it for this model.");
    }
    requireUsableSchema(request.responseFormat());
    return new Parsed(request, route, startNanos + deadline(route, clientTimeout));
  }

  /**
   * A schema that cannot be compiled is the client's mistake: refused now, with the reason, rather
   * than sent to a provider that would refuse it too (or answer what cannot be validated).
   */
  private void requireUsableSchema(ResponseFormat format) {
    if (format.type() != ResponseFormat.Type.JSON_SCHEMA || format.schema() == null) {
      return;
    }
    if (schemas.get(format.schema()) instanceof CompiledSchema.Unusable unusable) {
      throw new ApiException(
          ApiError.INVALID_REQUEST,
          ResponseValidator.SCHEMA_FIELD,
          "The schema in "
              + ResponseValidator.SCHEMA_FIELD
              + " cannot be used: "
              + unusable.reason()
              + ".");
    }
  }

  /**
   * How long the request may take: the route's total deadline, shortened by the client's {@code
   * x-spillway-timeout-ms} when it asks for less (a client can never extend the route's limit).
   */
  private static long deadline(Route route, String clientTimeout) {
    long total = route.rules().total().toNanos();
    if (clientTimeout == null) {
      return total;
    }
    long millis;
    try {
      millis = Long.parseLong(clientTimeout.trim());
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis < 1 || millis > MAX_CLIENT_TIMEOUT_MS) {
      throw new ApiException(
          ApiError.INVALID_REQUEST,
          SpillwayHeaders.TIMEOUT_MS,
          "The "
              + SpillwayHeaders.TIMEOUT_MS
              + " header must be a whole number of milliseconds from 1 to "
              + MAX_CLIENT_TIMEOUT_MS
              + ".");
    }
    return Math.min(total, millis * 1_000_000L);
  }

  private JsonNode readJson(Buffer body) {
    if (body == null || body.length() == 0) {
      throw new ApiException(
          ApiError.INVALID_JSON, "The request body is empty; send a JSON object.");
    }
    try {
      return mapper.readTree(body.getBytes());
    } catch (JsonProcessingException e) {
      // Only the position: Jackson's own message may quote the (private) body. Limit violations
      // (nesting depth, number length) carry no position.
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new ApiException(
          ApiError.INVALID_JSON, "The request body is not valid JSON" + where + ".");
    } catch (IOException e) {
      throw new ApiException(ApiError.INVALID_JSON, "The request body could not be read.");
    }
  }

  private static String abbreviate(String model) {
    return model.length() <= MAX_ECHOED_MODEL_CHARS
        ? model
        : model.substring(0, MAX_ECHOED_MODEL_CHARS) + "…";
  }
}
