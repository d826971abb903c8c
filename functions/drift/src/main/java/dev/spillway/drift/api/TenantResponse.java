package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.spillway.drift.store.TenantSettings;

/** A tenant's settings as the API shows them. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TenantResponse(
    String name,
    boolean keepText,
    String window,
    long windowSeconds,
    int reservoirSize,
    int minSamples,
    long version) {

  public static TenantResponse of(TenantSettings settings) {
    return new TenantResponse(
        settings.name(),
        settings.keepText(),
        settings.window().toString(),
        settings.window().toSeconds(),
        settings.reservoirSize(),
        settings.minSamples(),
        settings.version());
  }
}
