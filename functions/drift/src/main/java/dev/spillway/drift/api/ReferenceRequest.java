package dev.spillway.drift.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code PUT /tenants/{tenant}/features/{feature}/reference}: exactly one of a window to pin (its
 * start, as listed by {@code GET …/windows}) or an uploaded set of samples.
 *
 * @param window the start of the window to pin
 * @param samples the reference set
 */
public record ReferenceRequest(Instant window, List<SampleInput> samples) {}
