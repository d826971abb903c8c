package dev.spillway.lambda.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Hands what arrived on the pass-through path to the function's {@link EventConsumer}s by event
 * type. An SQS batch is consumed record by record, in order, and answered with the records that
 * failed; one bad record never fails the others. On a FIFO queue a record whose message group
 * already failed in this batch is not tried and is reported failed too, so that the group's order
 * survives the redelivery. Thread-safe.
 */
public final class PassThroughDispatcher {

  private static final Logger LOG = Logger.getLogger(PassThroughDispatcher.class);

  private final Map<String, EventConsumer> consumers;
  private final MeterRegistry meters;

  /**
   * @throws IllegalArgumentException when two consumers claim the same event type
   */
  public PassThroughDispatcher(Iterable<EventConsumer> consumers, MeterRegistry meters) {
    Map<String, EventConsumer> byType = new TreeMap<>();
    for (EventConsumer consumer : consumers) {
      for (String type : consumer.types()) {
        EventConsumer previous = byType.put(type, consumer);
        if (previous != null) {
          throw new IllegalArgumentException(
              "two consumers take event type '" + type + "': " + previous + " and " + consumer);
        }
      }
    }
    this.consumers = Collections.unmodifiableMap(byType);
    this.meters = meters;
  }

  /** The event types some consumer takes. */
  public Set<String> types() {
    return consumers.keySet();
  }

  /** Consumes a batch; the Uni never fails, it reports the failed records instead. */
  public Uni<BatchResponse> batch(PassThroughPayload.Batch batch) {
    List<BatchResponse.ItemFailure> failures = Collections.synchronizedList(new ArrayList<>());
    Set<String> failedGroups = Collections.synchronizedSet(new HashSet<>());
    return Multi.createFrom()
        .iterable(batch.items())
        .onItem()
        .transformToUniAndConcatenate(
            item -> {
              if (item.messageGroupId() != null && failedGroups.contains(item.messageGroupId())) {
                count("sqs", "skipped");
                return failed(item, failures, failedGroups);
              }
              if (item.problem() != null) {
                LOG.warnf("SQS message %s refused: %s", item.itemIdentifier(), item.problem());
                count("sqs", "invalid");
                return failed(item, failures, failedGroups);
              }
              return consume(item.event())
                  .invoke(() -> count("sqs", "processed"))
                  .onFailure()
                  .recoverWithUni(
                      failure -> {
                        boolean invalid = failure instanceof InvalidEventException;
                        if (invalid) {
                          LOG.warnf(
                              "SQS message %s (event %s) refused: %s",
                              item.itemIdentifier(), item.event().id(), failure.getMessage());
                        } else {
                          LOG.warnf(
                              failure,
                              "SQS message %s (event %s) failed; it will be redelivered",
                              item.itemIdentifier(),
                              item.event().id());
                        }
                        count("sqs", invalid ? "invalid" : "failed");
                        return failed(item, failures, failedGroups);
                      });
            })
        .collect()
        .last()
        .map(ignored -> new BatchResponse(failures));
  }

  /**
   * Consumes one event.
   *
   * @return a Uni that fails as the consumer's does, or with {@link InvalidEventException} when no
   *     consumer takes the event's type
   */
  public Uni<Void> single(PassThroughPayload.Single single) {
    return consume(single.event())
        .invoke(() -> count(single.carrier(), "processed"))
        .onFailure()
        .invoke(
            failure ->
                count(
                    single.carrier(),
                    failure instanceof InvalidEventException ? "invalid" : "failed"));
  }

  private Uni<Void> consume(IncomingEvent event) {
    EventConsumer consumer = consumers.get(event.type());
    if (consumer == null) {
      return Uni.createFrom()
          .failure(
              new InvalidEventException(
                  "No consumer here takes events of type '"
                      + event.type()
                      + "'; this function takes "
                      + consumers.keySet()
                      + "."));
    }
    try {
      return consumer.consume(event);
    } catch (RuntimeException e) {
      // A consumer that throws instead of returning a failed Uni fails this event only.
      return Uni.createFrom().failure(e);
    }
  }

  private static Uni<Void> failed(
      PassThroughPayload.Item item,
      List<BatchResponse.ItemFailure> failures,
      Set<String> failedGroups) {
    failures.add(new BatchResponse.ItemFailure(item.itemIdentifier()));
    if (item.messageGroupId() != null) {
      failedGroups.add(item.messageGroupId());
    }
    return Uni.createFrom().voidItem();
  }

  private void count(String carrier, String outcome) {
    if (meters != null) {
      Counter.builder("spillway.events.passthrough")
          .description("Events taken on the Lambda Web Adapter's pass-through path, by outcome")
          .tag("carrier", carrier)
          .tag("outcome", outcome)
          .register(meters)
          .increment();
    }
  }
}
