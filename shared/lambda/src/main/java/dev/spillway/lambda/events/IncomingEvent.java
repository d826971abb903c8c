package dev.spillway.lambda.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;

/**
 * One event as a consumer sees it, whatever carried it: a CloudEvent over HTTP, an SQS record, an
 * EventBridge event or a scheduler invocation.
 *
 * @param id the idempotency key (the CloudEvent {@code id}, the EventBridge event {@code id})
 * @param type the event type, e.g. {@code dev.spillway.usage.recorded}
 * @param source who sent it (CloudEvent {@code source}, EventBridge {@code source})
 * @param time when it happened, or null when the carrier did not say
 * @param data the payload (CloudEvent {@code data}, EventBridge {@code detail}); never null, an
 *     empty object when the carrier had none
 */
public record IncomingEvent(
    String id, String type, String source, OffsetDateTime time, JsonNode data) {}
