package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.spillway.drift.store.ReportStore;
import java.time.Instant;

/** A report in a listing; {@code GET …/reports/{id}} has the whole report. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReportSummary(long id, String verdict, Instant windowStart, Instant createdAt) {

  public static ReportSummary of(ReportStore.Stored stored) {
    return new ReportSummary(
        stored.id(), stored.verdict(), stored.windowStart(), stored.createdAt());
  }
}
