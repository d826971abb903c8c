package dev.spillway.openai;

/**
 * A function call made by the assistant.
 *
 * @param id the call id that a later {@code tool} message answers
 * @param name the function name
 * @param arguments the arguments as the JSON text the model produced (not necessarily valid JSON)
 */
public record ToolCall(String id, String name, String arguments) {}
