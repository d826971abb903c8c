package dev.spillway.lambda.events;

import java.util.List;

/** What the Lambda Web Adapter posted to the pass-through path, once its envelope is read. */
public sealed interface PassThroughPayload {

  /** Where the events came from, for metrics. */
  String carrier();

  /** An SQS batch: each record is answered on its own ({@code batchItemFailures}). */
  record Batch(List<Item> items) implements PassThroughPayload {
    public Batch {
      items = List.copyOf(items);
    }

    @Override
    public String carrier() {
      return "sqs";
    }
  }

  /**
   * One record of a batch.
   *
   * @param itemIdentifier the SQS {@code messageId}, what {@code batchItemFailures} names
   * @param messageGroupId the FIFO queue's message group, or null on a standard queue
   * @param event the event it carries, or null when {@code problem} says why it has none
   * @param problem why the record cannot be read, or null
   */
  record Item(String itemIdentifier, String messageGroupId, IncomingEvent event, String problem) {}

  /** One event: EventBridge (a rule or Scheduler) or a structured CloudEvent posted directly. */
  record Single(String carrier, IncomingEvent event) implements PassThroughPayload {}
}
