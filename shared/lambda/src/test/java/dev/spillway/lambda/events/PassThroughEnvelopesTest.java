package dev.spillway.lambda.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassThroughEnvelopesTest {

  private final PassThroughEnvelopes envelopes = new PassThroughEnvelopes(new ObjectMapper());

  @Test
  void anSqsBatchKeepsEveryRecordAndMarksTheUnreadableOnes() {
    PassThroughPayload payload =
        envelopes.read(
            Samples.read("sqs-usage-batch.json", Map.of("EVENT_ID", "e-1", "TENANT", "acme")));
    PassThroughPayload.Batch batch = (PassThroughPayload.Batch) payload;
    assertEquals(4, batch.items().size());
    PassThroughPayload.Item first = batch.items().get(0);
    assertEquals("059f36b4-87a3-44ab-83d2-661975830a7d", first.itemIdentifier());
    assertNull(first.problem());
    assertEquals("e-1", first.event().id());
    assertEquals("dev.spillway.usage.recorded", first.event().type());
    assertEquals("/spillway/gateway", first.event().source());
    assertEquals(OffsetDateTime.parse("2026-01-15T10:00:00Z"), first.event().time());
    assertEquals("acme", first.event().data().get("tenant").asText());
    PassThroughPayload.Item broken = batch.items().get(1);
    assertNull(broken.event());
    assertEquals("The message body is not JSON.", broken.problem());
    assertEquals("e-1", batch.items().get(2).event().id(), "a redelivered duplicate");
  }

  @Test
  void anEventBridgeEventsDetailTypeIsItsTypeAndDetailItsData() {
    PassThroughPayload.Single single =
        (PassThroughPayload.Single)
            envelopes.read(
                Samples.read(
                    "eventbridge-usage-recorded.json", Map.of("EVENT_ID", "eb-1", "TENANT", "t")));
    assertEquals("eventbridge", single.carrier());
    assertEquals("eb-1", single.event().id());
    assertEquals("dev.spillway.usage.recorded", single.event().type());
    assertEquals("spillway.gateway", single.event().source());
    assertEquals(7, single.event().data().get("prompt_tokens").asInt());
  }

  @Test
  void aScheduleRulesEventAndASchedulerCloudEventAreSingleEvents() {
    PassThroughPayload.Single rule =
        (PassThroughPayload.Single)
            envelopes.read(Samples.read("eventbridge-scheduled-event.json", Map.of()));
    assertEquals("Scheduled Event", rule.event().type());
    assertTrue(rule.event().data().isEmpty());
    PassThroughPayload.Single scheduler =
        (PassThroughPayload.Single)
            envelopes.read(Samples.read("scheduler-drift-run.json", Map.of()));
    assertEquals("cloudevent", scheduler.carrier());
    assertEquals("dev.spillway.drift.run-requested", scheduler.event().type());
    assertEquals("aws.scheduler", scheduler.event().source());
  }

  @Test
  void anSnsNotificationInsideAnSqsMessageIsUnwrapped() {
    String event =
        "{\"specversion\":\"1.0\",\"id\":\"sns-1\",\"source\":\"s\",\"type\":\"t\",\"data\":{}}";
    String sns =
        "{\"Type\":\"Notification\",\"MessageId\":\"m\",\"Message\":"
            + new ObjectMapper().valueToTree(event)
            + "}";
    String body =
        "{\"Records\":[{\"messageId\":\"q-1\",\"eventSource\":\"aws:sqs\",\"body\":"
            + new ObjectMapper().valueToTree(sns)
            + "}]}";
    PassThroughPayload.Batch batch = (PassThroughPayload.Batch) envelopes.read(body);
    assertEquals("sns-1", batch.items().get(0).event().id());
  }

  @Test
  void fifoRecordsKeepTheirMessageGroup() {
    String body =
        "{\"Records\":[{\"messageId\":\"q-1\",\"eventSource\":\"aws:sqs\",\"attributes\":"
            + "{\"MessageGroupId\":\"tenant-a\"},\"body\":\"{}\"}]}";
    PassThroughPayload.Item item = ((PassThroughPayload.Batch) envelopes.read(body)).items().get(0);
    assertEquals("tenant-a", item.messageGroupId());
    assertNotNull(item.problem());
  }

  @Test
  void whatIsNoKnownEnvelopeIsRefusedWithTheReason() {
    assertEquals(
        "The body is not JSON: Unrecognized token 'hello': was expecting (JSON String, Number,"
            + " Array, Object or token 'null', 'true' or 'false')",
        assertThrows(InvalidEventException.class, () -> envelopes.read("hello")).getMessage());
    assertTrue(
        assertThrows(InvalidEventException.class, () -> envelopes.read("{\"a\":1}"))
            .getMessage()
            .contains("neither an SQS batch"));
    assertEquals(
        "Records[0] has no 'messageId'.",
        assertThrows(
                InvalidEventException.class,
                () -> envelopes.read("{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}"))
            .getMessage());
    assertTrue(
        assertThrows(
                InvalidEventException.class,
                () ->
                    envelopes.read(
                        "{\"Records\":[{\"messageId\":\"1\",\"eventSource\":\"aws:kinesis\"}]}"))
            .getMessage()
            .contains("only SQS batches"));
  }

  @Test
  void aCloudEventMustBeVersionOneWithJsonDataAndAnRfc3339Time() {
    assertEquals(
        "specversion is '0.3'; only CloudEvents 1.0 is understood.",
        assertThrows(
                InvalidEventException.class,
                () ->
                    envelopes.read(
                        "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\"}"))
            .getMessage());
    assertEquals(
        "data_base64 is not accepted: send the data as JSON.",
        assertThrows(
                InvalidEventException.class,
                () ->
                    envelopes.read(
                        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
                            + "\"data_base64\":\"e30=\"}"))
            .getMessage());
    assertEquals(
        "time 'yesterday' is not an RFC 3339 timestamp.",
        assertThrows(
                InvalidEventException.class,
                () ->
                    envelopes.read(
                        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\"t\","
                            + "\"time\":\"yesterday\"}"))
            .getMessage());
    assertEquals(
        "The event has no 'id'.",
        assertThrows(
                InvalidEventException.class,
                () -> envelopes.read("{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\"}"))
            .getMessage());
    assertEquals(
        "id is longer than 200 characters.",
        assertThrows(
                InvalidEventException.class,
                () ->
                    envelopes.read(
                        "{\"version\":\"0\",\"id\":\""
                            + "x".repeat(201)
                            + "\",\"detail-type\":\"t\",\"source\":\"s\",\"detail\":{}}"))
            .getMessage());
  }
}
