package dev.spillway.lambda.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The answer to an SQS batch: the records that failed, so that Lambda deletes the others (the event
 * source mapping has {@code ReportBatchItemFailures}). An empty list means all succeeded.
 */
// Returned as an Object by the resource, so the native build must be told to keep it serialisable.
@RegisterForReflection
public record BatchResponse(
    @JsonProperty("batchItemFailures") List<ItemFailure> batchItemFailures) {

  public BatchResponse {
    batchItemFailures = List.copyOf(batchItemFailures);
  }

  /** One failed record, by its SQS {@code messageId}. */
  @RegisterForReflection
  public record ItemFailure(@JsonProperty("itemIdentifier") String itemIdentifier) {}
}
