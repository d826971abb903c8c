package dev.spillway.drift.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * What an ingest did.
 *
 * @param accepted samples offered to the window's reservoir
 * @param embedded of them, texts the embedding function embedded
 * @param windowStart the window they went to
 * @param windowSeen samples the window has been offered in all
 * @param kept of this request's samples, how many the reservoir kept
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SamplesResponse(
    int accepted, int embedded, Instant windowStart, long windowSeen, int kept) {}
