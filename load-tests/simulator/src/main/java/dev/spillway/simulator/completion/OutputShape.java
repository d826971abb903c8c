package dev.spillway.simulator.completion;

import com.fasterxml.jackson.databind.JsonNode;

/** What kind of answer a request asks for, whatever the wire dialect. */
public sealed interface OutputShape {

  /** Plain text. */
  record Text() implements OutputShape {}

  /**
   * One call of a tool, with arguments generated from its JSON schema.
   *
   * @param name the tool to call
   * @param parameters the tool's parameter schema; may be a missing or null node
   */
  record ToolCall(String name, JsonNode parameters) implements OutputShape {}

  /** Text that is one JSON object ({@code response_format: json_object}). */
  record JsonObject() implements OutputShape {}

  /**
   * Text that is a JSON document matching a schema ({@code response_format: json_schema}).
   *
   * @param schema the schema; may be a missing or null node
   */
  record JsonSchema(JsonNode schema) implements OutputShape {}
}
