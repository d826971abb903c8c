package dev.spillway.quota.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A gateway asks who holds an API key ({@code POST /keys/lookup}): only the key's SHA-256 travels.
 *
 * @param keyHash lowercase hex SHA-256 of the API key
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyLookupRequest(String keyHash) {}
