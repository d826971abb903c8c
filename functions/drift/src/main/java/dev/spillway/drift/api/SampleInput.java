package dev.spillway.drift.api;

/**
 * One sample (or corpus document) as a client sends it: a text, a vector, or both. A text without a
 * vector is embedded by the embedding function; a vector without a text adds no term statistics.
 *
 * @param text the query (or document) text
 * @param vector its embedding, of {@code drift.dimensions} values
 */
public record SampleInput(String text, float[] vector) {}
