package dev.spillway.openai;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A function the model may call.
 *
 * @param name the function name
 * @param description what it does, or null
 * @param parameters its JSON Schema, or null for a function without parameters
 */
public record ToolDefinition(String name, String description, JsonNode parameters) {}
