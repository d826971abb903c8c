package dev.spillway.lambda.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PassThroughDispatcherTest {

  /** Records what it consumed; fails events whose id says so. */
  static final class Recorder implements EventConsumer {
    final List<String> consumed = new ArrayList<>();

    @Override
    public Set<String> types() {
      return Set.of("dev.spillway.usage.recorded", "Scheduled Event");
    }

    @Override
    public Uni<Void> consume(IncomingEvent event) {
      if (event.id().startsWith("transient")) {
        return Uni.createFrom().failure(new IllegalStateException("database down"));
      }
      if (event.id().startsWith("throws")) {
        throw new IllegalStateException("a bug");
      }
      if (event.data().path("prompt_tokens").asInt() < 0) {
        return Uni.createFrom().failure(new InvalidEventException("negative tokens"));
      }
      consumed.add(event.id());
      return Uni.createFrom().voidItem();
    }
  }

  private final PassThroughEnvelopes envelopes = new PassThroughEnvelopes(new ObjectMapper());
  private final Recorder recorder = new Recorder();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final PassThroughDispatcher dispatcher =
      new PassThroughDispatcher(List.of(recorder), meters);

  private static String record(String messageId, String group, String eventId, String type) {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\""
            + eventId
            + "\",\"source\":\"s\",\"type\":\""
            + type
            + "\",\"data\":{}}";
    return "{\"messageId\":\""
        + messageId
        + "\",\"eventSource\":\"aws:sqs\",\"attributes\":"
        + (group == null ? "{}" : "{\"MessageGroupId\":\"" + group + "\"}")
        + ",\"body\":"
        + new ObjectMapper().valueToTree(event)
        + "}";
  }

  private List<String> failures(String... records) {
    PassThroughPayload.Batch batch =
        (PassThroughPayload.Batch)
            envelopes.read("{\"Records\":[" + String.join(",", records) + "]}");
    return dispatcher.batch(batch).await().indefinitely().batchItemFailures().stream()
        .map(BatchResponse.ItemFailure::itemIdentifier)
        .toList();
  }

  @Test
  void onlyTheRecordsThatFailedAreReported() {
    List<String> failed =
        failures(
            Samples.read("sqs-usage-batch.json", Map.of("EVENT_ID", "ok-1", "TENANT", "acme"))
                .replaceAll("(?s)^\\{\\s*\"Records\": \\[", "")
                .replaceAll("(?s)\\]\\s*\\}\\s*$", ""));
    assertEquals(
        List.of("2e1424d4-f796-459a-8184-9c92662be6da", "c2f8a1d4-6b3e-4e0f-8a9d-2f1b7c6e5d43"),
        failed,
        "the unreadable body and the negative token count");
    assertEquals(
        List.of("ok-1", "ok-1"), recorder.consumed, "the duplicate is the consumer's to skip");
    assertEquals(
        2.0,
        meters
            .counter("spillway.events.passthrough", "carrier", "sqs", "outcome", "processed")
            .count());
    assertEquals(
        2.0,
        meters
            .counter("spillway.events.passthrough", "carrier", "sqs", "outcome", "invalid")
            .count());
  }

  @Test
  void transientFailuresAndThrowingConsumersFailTheirRecordOnly() {
    List<String> failed =
        failures(
            record("m1", null, "transient-1", "dev.spillway.usage.recorded"),
            record("m2", null, "throws-1", "dev.spillway.usage.recorded"),
            record("m3", null, "fine", "dev.spillway.usage.recorded"),
            record("m4", null, "elsewhere", "dev.spillway.query.sampled"));
    assertEquals(List.of("m1", "m2", "m4"), failed);
    assertEquals(List.of("fine"), recorder.consumed);
  }

  @Test
  void onAFifoQueueTheRestOfAFailedGroupWaitsForRedelivery() {
    List<String> failed =
        failures(
            record("m1", "a", "transient-1", "dev.spillway.usage.recorded"),
            record("m2", "a", "a-2", "dev.spillway.usage.recorded"),
            record("m3", "b", "b-1", "dev.spillway.usage.recorded"));
    assertEquals(List.of("m1", "m2"), failed);
    assertEquals(List.of("b-1"), recorder.consumed, "group b is independent of group a");
  }

  @Test
  void aSingleEventOfAnUnknownTypeNamesTheTypesThatAreTaken() {
    PassThroughPayload.Single single =
        (PassThroughPayload.Single)
            envelopes.read(
                "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"Object Created\","
                    + "\"source\":\"aws.s3\",\"detail\":{}}");
    InvalidEventException refused =
        assertThrows(
            InvalidEventException.class, () -> dispatcher.single(single).await().indefinitely());
    assertEquals(
        "No consumer here takes events of type 'Object Created'; this function takes [Scheduled"
            + " Event, dev.spillway.usage.recorded].",
        refused.getMessage());
  }

  @Test
  void twoConsumersOfOneTypeAreAConfigurationError() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new PassThroughDispatcher(List.of(new Recorder(), new Recorder()), null))
            .getMessage()
            .contains("two consumers take event type"));
  }
}
