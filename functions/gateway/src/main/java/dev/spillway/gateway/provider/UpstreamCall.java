package dev.spillway.gateway.provider;

import dev.spillway.openai.ChatCompletionRequest;

/**
 * What to send to one target.
 *
 * @param request the client's validated request
 * @param upstreamModel the model name the target wants
 * @param requestId the gateway's request id, forwarded for correlation
 */
public record UpstreamCall(ChatCompletionRequest request, String upstreamModel, String requestId) {}
