package dev.spillway.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What shape the answer must have.
 *
 * @param type text, a JSON object, or JSON matching a schema
 * @param schemaName the {@code json_schema.name}, only for {@link Type#JSON_SCHEMA}
 * @param schema the JSON Schema, only for {@link Type#JSON_SCHEMA}
 */
public record ResponseFormat(Type type, String schemaName, JsonNode schema) {

  public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null);

  public enum Type {
    TEXT,
    JSON_OBJECT,
    JSON_SCHEMA
  }

  /** True when the answer must be JSON. */
  public boolean wantsJson() {
    return type != Type.TEXT;
  }
}
