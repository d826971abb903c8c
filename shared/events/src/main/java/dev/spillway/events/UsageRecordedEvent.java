package dev.spillway.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.math.BigDecimal;

/**
 * Payload of {@code dev.spillway.usage.recorded}: what one chat request cost and how it went.
 *
 * <p>Field names are snake_case on the wire, like the rest of the OpenAI-facing API.
 *
 * @param requestId the gateway's {@code x-request-id}
 * @param tenant who pays
 * @param feature which of the tenant's features sent it
 * @param route the client-facing model (route) name
 * @param provider the provider that served it, or null when none did
 * @param model the upstream model that served it, or null when none did
 * @param promptTokens prompt tokens
 * @param completionTokens completion tokens
 * @param usageCounted true when the gateway counted tokens because the upstream reported none
 * @param costUsd the price of the tokens
 * @param ttftMs time to the first token the client received, or null (non-stream, or failed)
 * @param durationMs time from request received to response complete
 * @param outcome {@code success}, {@code upstream_error}, {@code client_cancelled}, …
 * @param stream whether the client asked for a stream
 * @param attempts upstream targets tried
 * @param routeCategory {@code auto} routes: the task category the request was routed for, or null
 * @param routeReason {@code auto} routes: why its target was chosen ({@code floor}, {@code
 *     fallback-timeout}, …), or null
 * @param strongestCostUsd {@code auto} routes: what the same tokens would have cost on the route's
 *     strongest target (the counterfactual savings are measured against), or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UsageRecordedEvent(
    String requestId,
    String tenant,
    String feature,
    String route,
    String provider,
    String model,
    int promptTokens,
    int completionTokens,
    boolean usageCounted,
    BigDecimal costUsd,
    Double ttftMs,
    double durationMs,
    String outcome,
    boolean stream,
    int attempts,
    String routeCategory,
    String routeReason,
    BigDecimal strongestCostUsd) {}
