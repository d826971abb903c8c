package dev.spillway.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Payload of {@code dev.spillway.query.sampled}: one user query the gateway sampled for drift
 * scoring (a configurable fraction per tenant and feature; off by default).
 *
 * <p>It carries the query's text, because the drift function derives both the vector and the term
 * statistics from it; the drift function decides per tenant whether the text itself is kept. Field
 * names are snake_case on the wire.
 *
 * @param requestId the gateway's {@code x-request-id}
 * @param tenant whose query it is
 * @param feature which of the tenant's features sent it
 * @param route the client-facing model (route) name
 * @param text the query: the text of the request's last user message
 * @param sampleRate the fraction of this tenant and feature's queries that are sampled, in (0, 1]
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QuerySampledEvent(
    String requestId,
    String tenant,
    String feature,
    String route,
    String text,
    double sampleRate) {}
