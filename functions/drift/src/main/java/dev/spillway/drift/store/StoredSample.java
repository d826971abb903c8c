package dev.spillway.drift.store;

/**
 * A sample on its way into storage: its vector and, when the tenant keeps texts, its text.
 *
 * @param vector the embedding, of the configured dimension
 * @param text the query text, or null when not kept
 */
public record StoredSample(float[] vector, String text) {}
