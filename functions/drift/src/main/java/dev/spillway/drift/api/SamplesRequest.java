package dev.spillway.drift.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /tenants/{tenant}/features/{feature}/samples}: samples of one feature's queries.
 *
 * @param samples at least one, at most {@code drift.limits.max-samples-per-request}
 * @param at when the queries were made (default: now); picks the window, at most 31 days back
 */
public record SamplesRequest(List<SampleInput> samples, Instant at) {}
