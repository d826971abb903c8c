package dev.spillway.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Compiled JSON Schemas from {@code response_format.json_schema}, keyed by the schema's JSON text
 * and bounded by least-recent use.
 *
 * <p>Compiling a schema costs far more than validating one answer against it, and clients send the
 * same few schemas with every request, so each is compiled once and kept. The bound keeps clients
 * that generate a fresh schema per request from growing the heap without limit.
 *
 * <p>Schemas are compiled as JSON Schema 2020-12 unless they name another draft in {@code $schema}.
 * They may not load anything: a {@code $ref} to a URL is refused rather than fetched, so a client
 * cannot make the gateway call hosts of its choosing, and the compile fails. A schema that fails to
 * compile is remembered as such, so it is not compiled again on every request.
 *
 * <p>Thread-safe. Two threads that miss on the same schema at once may both compile it; one result
 * wins and the other is dropped, which is cheaper than compiling under the lock.
 */
public final class SchemaCache {

  /** Entries a validator keeps unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 256;

  /**
   * Meta-schemas of the known drafts ship inside the validator and are mapped to {@code
   * classpath:draft...}; nothing else may be loaded. Built on the first schema, not when the class
   * loads (the holder idiom): it costs about 30 ms of a cold start that most requests never need.
   */
  private static final class Factory {
    static final JsonSchemaFactory INSTANCE =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder
                    .schemaLoaders(
                        loaders ->
                            loaders.add(
                                new AllowSchemaLoader(
                                    iri -> iri.toString().startsWith("classpath:draft"))))
                    // This class is the cache; the factory's own would grow without bound.
                    .enableSchemaCache(false));
  }

  /** JSON pointers ({@code /items/2}) rather than the library's default {@code $.items[2]}. */
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();

  private final int capacity;
  private final Map<String, Optional<JsonSchema>> compiled;

  /**
   * @param capacity schemas kept before the least recently used is dropped; at least 1
   */
  public SchemaCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.compiled =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Optional<JsonSchema>> eldest) {
            return size() > SchemaCache.this.capacity;
          }
        };
  }

  /** A cache of {@value #DEFAULT_CAPACITY} schemas. */
  public SchemaCache() {
    this(DEFAULT_CAPACITY);
  }

  /**
   * The compiled form of a schema, ready to validate from any thread.
   *
   * @return empty when the schema cannot be compiled (malformed, an unknown draft, an unresolvable
   *     or remote {@code $ref}, a pattern that is not a regular expression)
   */
  public Optional<JsonSchema> get(JsonNode schema) {
    String key = schema.toString();
    synchronized (compiled) {
      Optional<JsonSchema> hit = compiled.get(key);
      if (hit != null) {
        return hit;
      }
    }
    Optional<JsonSchema> fresh = compile(schema);
    synchronized (compiled) {
      Optional<JsonSchema> raced = compiled.putIfAbsent(key, fresh);
      return raced != null ? raced : fresh;
    }
  }

  /** Schemas held now, compilable or not. */
  public int size() {
    synchronized (compiled) {
      return compiled.size();
    }
  }

  private static Optional<JsonSchema> compile(JsonNode schema) {
    try {
      // A copy: the cache outlives the request, whose tree others may still rewrite.
      JsonSchema compiled = Factory.INSTANCE.getSchema(schema.deepCopy(), CONFIG);
      // Resolve every $ref now: a broken one should fail here, once, not on each answer.
      compiled.initializeValidators();
      return Optional.of(compiled);
    } catch (RuntimeException e) {
      // The library reports a bad schema with several exception types (its own, regex, URI);
      // all mean the same here: the client's schema cannot be used.
      return Optional.empty();
    }
  }
}
