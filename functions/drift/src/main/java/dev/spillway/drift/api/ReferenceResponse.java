package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.spillway.drift.store.ReferenceStore;
import java.time.Instant;

/** A feature's reference as the API shows it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReferenceResponse(
    String tenant,
    String feature,
    String kind,
    Instant pinnedWindow,
    int samples,
    Instant createdAt) {

  public static ReferenceResponse of(String tenant, String feature, ReferenceStore.Summary s) {
    return new ReferenceResponse(
        tenant, feature, s.kind(), s.pinnedWindow(), s.samples(), s.createdAt());
  }
}
