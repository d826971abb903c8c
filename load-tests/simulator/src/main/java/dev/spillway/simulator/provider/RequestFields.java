package dev.spillway.simulator.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/** Typed reads of request fields that fail with an {@link InvalidRequestException} naming them. */
public final class RequestFields {

  private RequestFields() {}

  /** A required, non-blank string field. */
  public static String requiredText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequestException(field + ": field required", field);
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new InvalidRequestException(field + ": must be a non-empty string", field);
    }
    return node.asText();
  }

  /** An optional positive integer field. */
  public static OptionalInt positiveInt(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return OptionalInt.empty();
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
      throw new InvalidRequestException(field + ": must be a positive integer", field);
    }
    return OptionalInt.of(node.asInt());
  }

  /** An optional boolean field, false when absent. */
  public static boolean flag(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new InvalidRequestException(field + ": must be a boolean", field);
    }
    return node.asBoolean();
  }

  /** A required, non-empty array field. */
  public static JsonNode requiredArray(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequestException(field + ": field required", field);
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new InvalidRequestException(field + ": must be a non-empty array", field);
    }
    return node;
  }

  /**
   * Whether a {@code messages} array ends with an assistant message, or with an assistant message
   * followed by one user message. Looks at the last two messages only, so it costs nothing on long
   * conversations.
   */
  public static boolean endsAfterAssistant(JsonNode messages) {
    int last = messages.size() - 1;
    if (last < 0) {
      return false;
    }
    String lastRole = messages.get(last).path("role").asText("");
    if (lastRole.equals("assistant")) {
      return true;
    }
    return lastRole.equals("user")
        && last >= 1
        && messages.get(last - 1).path("role").asText("").equals("assistant");
  }

  /** Characters of a text node, 0 for anything else. */
  public static long textLength(JsonNode node) {
    return node != null && node.isTextual() ? node.asText().length() : 0;
  }

  /**
   * The text of the last {@code user} message: a string content, or its {@code text} parts joined
   * by newlines; null when there is none.
   */
  public static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if (!"user".equals(message.path("role").asText())) {
        continue;
      }
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        return null;
      }
      if (content.isTextual()) {
        return content.asText();
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          if (!text.isEmpty()) {
            text.append('\n');
          }
          text.append(part.get("text").asText());
        }
      }
      return text.toString();
    }
    return null;
  }
}
