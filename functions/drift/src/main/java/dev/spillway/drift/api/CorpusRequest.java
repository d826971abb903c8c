package dev.spillway.drift.api;

import java.util.List;

/**
 * {@code POST /tenants/{tenant}/features/{feature}/corpus}: documents the feature's search runs
 * over (a sample of them is enough), for retrieval coverage.
 *
 * @param documents texts and/or vectors, like samples
 */
public record CorpusRequest(List<SampleInput> documents) {}
