package dev.spillway.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event with a JSON payload.
 *
 * <p>Consumers are idempotent on {@code id}, so a producer that retries must resend the same id.
 *
 * @param id unique per event (a UUID)
 * @param source the producing function, e.g. {@code /spillway/gateway}
 * @param type {@code dev.spillway.<noun>.<verb>}
 * @param subject what the event is about (here: the tenant), or null
 * @param time when it happened
 * @param data the payload, sent as {@code application/json}
 */
public record CloudEvent(
    String id, String source, String type, String subject, Instant time, JsonNode data) {

  public static final String SPEC_VERSION = "1.0";
  public static final String DATA_CONTENT_TYPE = "application/json";

  public CloudEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /** A new event with a random id, stamped now. */
  public static CloudEvent of(String source, String type, String subject, JsonNode data) {
    return new CloudEvent(UUID.randomUUID().toString(), source, type, subject, Instant.now(), data);
  }
}
