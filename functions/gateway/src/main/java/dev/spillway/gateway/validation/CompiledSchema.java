package dev.spillway.gateway.validation;

import com.networknt.schema.JsonSchema;

/** What a client's {@code response_format.json_schema.schema} compiled to. */
public sealed interface CompiledSchema {

  /** A schema answers can be validated against, from any thread. */
  record Usable(JsonSchema schema) implements CompiledSchema {}

  /**
   * A schema the gateway cannot use.
   *
   * @param reason one sentence a client can act on; it may quote the client's own schema, never
   *     anyone else's data
   */
  record Unusable(String reason) implements CompiledSchema {}
}
