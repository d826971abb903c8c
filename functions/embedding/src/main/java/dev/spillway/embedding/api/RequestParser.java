package dev.spillway.embedding.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.embedding.error.ApiError;
import dev.spillway.embedding.error.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request body into an {@link EmbeddingRequest}, refusing bad input with a 400 that names
 * the field: OpenAI's rules for {@code input}, {@code model}, {@code encoding_format}, {@code
 * dimensions} and {@code user}, plus this function's limits. Token arrays (OpenAI accepts them for
 * its own tokenizer) are refused: ids of another tokenizer mean nothing to these models. Stateless
 * and thread-safe.
 */
public final class RequestParser {

  private final ObjectMapper mapper;
  private final int maxInputs;
  private final int maxBodyBytes;

  public RequestParser(ObjectMapper mapper, int maxInputs, int maxBodyBytes) {
    this.mapper = mapper;
    this.maxInputs = maxInputs;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Parses a body.
   *
   * @param classify whether the body is for {@code /v1/classify} (no {@code encoding_format} or
   *     {@code dimensions})
   * @throws ApiException 400/413 for bad input
   */
  public EmbeddingRequest parse(byte[] body, boolean classify) {
    checkSize(body == null ? 0 : body.length);
    if (body == null || body.length == 0) {
      throw new ApiException(ApiError.INVALID_JSON, null, "The request body is empty; send JSON.");
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          ApiError.INVALID_JSON,
          null,
          "The request body is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ").");
    } catch (IOException e) {
      throw new ApiException(ApiError.INVALID_JSON, null, "The request body could not be read.");
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(
          ApiError.INVALID_JSON, null, "The request body must be a JSON object.");
    }
    String model = model(root.get("model"));
    List<String> inputs = inputs(root.get("input"));
    boolean base64 = false;
    Integer dimensions = null;
    if (!classify) {
      base64 = encodingFormat(root.get("encoding_format"));
      dimensions = dimensions(root.get("dimensions"));
    }
    JsonNode user = root.get("user");
    if (user != null && !user.isNull() && !user.isTextual()) {
      throw ApiException.invalid("user", "'user' must be a string.");
    }
    return new EmbeddingRequest(
        model, inputs, base64, dimensions, user == null || user.isNull() ? null : user.asText());
  }

  /** Refuses a body over the limit with 413 naming the limit. */
  public void checkSize(long bytes) {
    if (bytes > maxBodyBytes) {
      throw new ApiException(
          ApiError.BODY_TOO_LARGE,
          null,
          "The request body is " + bytes + " bytes; the limit is " + maxBodyBytes + " bytes.");
    }
  }

  private static String model(JsonNode model) {
    if (model == null || model.isNull()) {
      throw ApiException.invalid("model", "'model' is required; GET /v1/models lists them.");
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      throw ApiException.invalid("model", "'model' must be a non-empty string.");
    }
    return model.asText();
  }

  private List<String> inputs(JsonNode input) {
    if (input == null || input.isNull()) {
      throw ApiException.invalid("input", "'input' is required: a string or an array of strings.");
    }
    if (input.isTextual()) {
      if (input.asText().isEmpty()) {
        throw ApiException.invalid("input", "'input' must not be an empty string.");
      }
      return List.of(input.asText());
    }
    if (!input.isArray()) {
      throw ApiException.invalid("input", "'input' must be a string or an array of strings.");
    }
    if (input.isEmpty()) {
      throw ApiException.invalid("input", "'input' must not be an empty array.");
    }
    if (input.size() > maxInputs) {
      throw ApiException.invalid(
          "input",
          "'input' has " + input.size() + " items; the limit is " + maxInputs + " per request.");
    }
    List<String> texts = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if (item.isIntegralNumber() || (item.isArray() && tokenArray(item))) {
        throw ApiException.invalid(
            "input",
            "'input' holds token ids; this function takes text only (its models use their own"
                + " tokenizer). Send strings.");
      }
      if (!item.isTextual()) {
        throw ApiException.invalid(
            "input[" + i + "]", "'input[" + i + "]' must be a string, not " + kind(item) + ".");
      }
      if (item.asText().isEmpty()) {
        throw ApiException.invalid(
            "input[" + i + "]", "'input[" + i + "]' must not be an empty string.");
      }
      texts.add(item.asText());
    }
    return texts;
  }

  private static boolean tokenArray(JsonNode array) {
    for (JsonNode element : array) {
      if (!element.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case BOOLEAN -> "a boolean";
      case NUMBER -> "a number";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static boolean encodingFormat(JsonNode format) {
    if (format == null || format.isNull()) {
      return false;
    }
    if (format.isTextual() && format.asText().equals("float")) {
      return false;
    }
    if (format.isTextual() && format.asText().equals("base64")) {
      return true;
    }
    throw ApiException.invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'.");
  }

  private static Integer dimensions(JsonNode dimensions) {
    if (dimensions == null || dimensions.isNull()) {
      return null;
    }
    if (!dimensions.isIntegralNumber() || dimensions.asLong() < 1) {
      throw ApiException.invalid("dimensions", "'dimensions' must be a positive integer.");
    }
    return dimensions.asInt();
  }
}
