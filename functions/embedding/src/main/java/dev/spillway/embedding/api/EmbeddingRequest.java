package dev.spillway.embedding.api;

import java.util.List;

/**
 * A parsed {@code POST /v1/embeddings} (or {@code /v1/classify}) body.
 *
 * @param model the registry model (or head) asked for
 * @param inputs the texts, at least one, none empty
 * @param base64 whether vectors are sent as base64 little-endian float32 ({@code
 *     encoding_format=base64}) instead of JSON numbers
 * @param dimensions the vector length asked for, or null
 * @param user the caller's end-user id; accepted and never logged
 */
public record EmbeddingRequest(
    String model, List<String> inputs, boolean base64, Integer dimensions, String user) {}
