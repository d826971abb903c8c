package dev.spillway.simulator.completion;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Writes a JSON document that satisfies the common subset of a JSON schema: strings get a word (or
 * the first {@code enum} / the {@code const} value), numbers and integers 42, booleans true, arrays
 * stay empty, objects recurse over their {@code properties}. {@code anyOf}/{@code oneOf} take their
 * first branch; a type list takes its first non-null type. Anything unrecognised is a string.
 *
 * <p>It writes text directly instead of building a Jackson tree because it runs on the request
 * path. Stateless and thread-safe.
 */
public final class SchemaInstanceGenerator {

  /** Deeper than any real tool schema; stops self-referencing or hostile ones. */
  private static final int MAX_DEPTH = 16;

  private final TextGenerator words;

  public SchemaInstanceGenerator(TextGenerator words) {
    this.words = words;
  }

  /** The generated document as JSON text; a missing or non-object schema gives {@code {}}. */
  public String generate(JsonNode schema, RandomGenerator random) {
    if (schema == null || !schema.isObject()) {
      return "{}";
    }
    StringBuilder out = new StringBuilder(64);
    write(schema, random, out, 0);
    return out.toString();
  }

  private void write(JsonNode schema, RandomGenerator random, StringBuilder out, int depth) {
    if (depth > MAX_DEPTH || schema == null || !schema.isObject()) {
      out.append("null");
      return;
    }
    JsonNode constant = schema.get("const");
    if (constant != null) {
      out.append(constant);
      return;
    }
    JsonNode choices = schema.get("enum");
    if (choices != null && choices.isArray() && !choices.isEmpty()) {
      out.append(choices.get(0));
      return;
    }
    for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
      JsonNode branches = schema.get(combinator);
      if (branches != null && branches.isArray() && !branches.isEmpty()) {
        write(branches.get(0), random, out, depth + 1);
        return;
      }
    }
    switch (typeOf(schema)) {
      case "object" -> writeObject(schema, random, out, depth);
      case "array" -> out.append("[]");
      case "number", "integer" -> out.append("42");
      case "boolean" -> out.append("true");
      case "null" -> out.append("null");
      default -> out.append('"').append(words.word(random)).append('"');
    }
  }

  private void writeObject(JsonNode schema, RandomGenerator random, StringBuilder out, int depth) {
    out.append('{');
    JsonNode properties = schema.get("properties");
    if (properties != null && properties.isObject()) {
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(property.getKey(), out);
        out.append("\":");
        write(property.getValue(), random, out, depth + 1);
      }
    }
    out.append('}');
  }

  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && type.isTextual()) {
      return type.asText();
    }
    if (type != null && type.isArray()) {
      for (JsonNode option : type) {
        if (option.isTextual() && !option.asText().equals("null")) {
          return option.asText();
        }
      }
      return "null";
    }
    return schema.has("properties") ? "object" : "string";
  }
}
