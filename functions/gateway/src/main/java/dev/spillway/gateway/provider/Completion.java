package dev.spillway.gateway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.usage.TokenUsage;

/**
 * A finished non-streaming answer in OpenAI's {@code chat.completion} shape.
 *
 * @param body the completion object, ready to send to the client
 * @param usage the usage the upstream reported, or null when it reported none
 */
public record Completion(ObjectNode body, TokenUsage usage) {}
