package dev.spillway.lambda.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the envelopes AWS wraps events in, as the Lambda Web Adapter posts them to the pass-through
 * path:
 *
 * <ul>
 *   <li>an SQS batch ({@code Records[]} with {@code eventSource: aws:sqs}); each record's {@code
 *       body} holds a structured-mode CloudEvent, an EventBridge event (a rule with an SQS target)
 *       or an SNS notification wrapping either;
 *   <li>an EventBridge event ({@code detail-type} is the event type, {@code detail} the data), from
 *       a rule, including the {@code Scheduled Event} of a schedule rule;
 *   <li>a structured-mode CloudEvent ({@code specversion}), which is what an EventBridge Scheduler
 *       schedule sends when its input is one.
 * </ul>
 *
 * Stateless; thread-safe.
 */
public final class PassThroughEnvelopes {

  /** The largest id kept as an idempotency key; longer ones are refused. */
  static final int MAX_ID_LENGTH = 200;

  private final ObjectMapper mapper;

  public PassThroughEnvelopes(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Reads a pass-through body.
   *
   * @throws InvalidEventException when the body is not one of the envelopes above (for a batch,
   *     only when the batch itself is malformed: a bad record becomes an {@link
   *     PassThroughPayload.Item} with a problem)
   */
  public PassThroughPayload read(String body) {
    JsonNode root;
    try {
      root = mapper.readTree(body == null ? "" : body);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("The body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException("The body is not a JSON object.");
    }
    JsonNode records = root.get("Records");
    if (records != null) {
      return batch(records);
    }
    if (root.has("detail-type")) {
      return new PassThroughPayload.Single("eventbridge", eventBridge(root));
    }
    if (root.has("specversion")) {
      return new PassThroughPayload.Single("cloudevent", cloudEvent(root));
    }
    throw new InvalidEventException(
        "The body is neither an SQS batch ('Records'), an EventBridge event ('detail-type') nor a"
            + " structured CloudEvent ('specversion').");
  }

  private PassThroughPayload.Batch batch(JsonNode records) {
    if (!records.isArray()) {
      throw new InvalidEventException("'Records' is not an array.");
    }
    List<PassThroughPayload.Item> items = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      String messageId = text(record, "messageId");
      if (messageId == null) {
        // Without a messageId the record cannot be reported failed one by one, so the whole batch
        // has to be: this is not an SQS batch at all.
        throw new InvalidEventException("Records[" + i + "] has no 'messageId'.");
      }
      if (!"aws:sqs".equals(text(record, "eventSource"))) {
        throw new InvalidEventException(
            "Records["
                + i
                + "] is not an SQS record (eventSource '"
                + text(record, "eventSource")
                + "'); only SQS batches are consumed here.");
      }
      JsonNode attributes = record.get("attributes");
      String group = attributes == null ? null : text(attributes, "MessageGroupId");
      try {
        items.add(new PassThroughPayload.Item(messageId, group, messageBody(record), null));
      } catch (InvalidEventException e) {
        items.add(new PassThroughPayload.Item(messageId, group, null, e.getMessage()));
      }
    }
    return new PassThroughPayload.Batch(items);
  }

  private IncomingEvent messageBody(JsonNode record) {
    String body = text(record, "body");
    if (body == null) {
      throw new InvalidEventException("The message has no body.");
    }
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("The message body is not JSON.");
    }
    return carried(node, true);
  }

  /** The event a message body carries: a CloudEvent, an EventBridge event, or SNS around one. */
  private IncomingEvent carried(JsonNode node, boolean snsAllowed) {
    if (node == null || !node.isObject()) {
      throw new InvalidEventException("The message body is not a JSON object.");
    }
    if (node.has("specversion")) {
      return cloudEvent(node);
    }
    if (node.has("detail-type")) {
      return eventBridge(node);
    }
    if (snsAllowed && "Notification".equals(text(node, "Type")) && node.has("Message")) {
      try {
        return carried(mapper.readTree(text(node, "Message")), false);
      } catch (JsonProcessingException e) {
        throw new InvalidEventException("The SNS notification's Message is not JSON.");
      }
    }
    throw new InvalidEventException(
        "The message body is neither a structured CloudEvent ('specversion') nor an EventBridge"
            + " event ('detail-type').");
  }

  /** A structured-mode CloudEvent (JSON event format, CloudEvents 1.0). */
  IncomingEvent cloudEvent(JsonNode node) {
    String version = text(node, "specversion");
    if (!"1.0".equals(version)) {
      throw new InvalidEventException(
          "specversion is '" + version + "'; only CloudEvents 1.0 is understood.");
    }
    if (node.has("data_base64")) {
      throw new InvalidEventException("data_base64 is not accepted: send the data as JSON.");
    }
    JsonNode data = node.get("data");
    if (data != null && !data.isObject() && !data.isNull()) {
      throw new InvalidEventException("data is not a JSON object.");
    }
    return new IncomingEvent(
        id(node, "id"),
        required(node, "type"),
        required(node, "source"),
        time(node, "time"),
        data == null || data.isNull() ? JsonNodeFactory.instance.objectNode() : data);
  }

  /** An EventBridge event: {@code detail-type} is its type, {@code detail} its data. */
  IncomingEvent eventBridge(JsonNode node) {
    JsonNode detail = node.get("detail");
    if (detail != null && !detail.isObject() && !detail.isNull()) {
      throw new InvalidEventException("detail is not a JSON object.");
    }
    return new IncomingEvent(
        id(node, "id"),
        required(node, "detail-type"),
        required(node, "source"),
        time(node, "time"),
        detail == null || detail.isNull() ? JsonNodeFactory.instance.objectNode() : detail);
  }

  private static String id(JsonNode node, String field) {
    String id = required(node, field);
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidEventException(field + " is longer than " + MAX_ID_LENGTH + " characters.");
    }
    return id;
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null || value.isBlank()) {
      throw new InvalidEventException("The event has no '" + field + "'.");
    }
    return value;
  }

  private static OffsetDateTime time(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(field + " '" + value + "' is not an RFC 3339 timestamp.");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() ? null : value.asText();
  }
}
