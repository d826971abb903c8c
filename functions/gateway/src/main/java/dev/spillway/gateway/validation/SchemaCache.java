package dev.spillway.gateway.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.AllowSchemaLoader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Compiled JSON Schemas from {@code response_format.json_schema}, keyed by the SHA-256 of the
 * schema's JSON text and bounded by size and idle time (Caffeine).
 *
 * <p>Compiling a schema costs far more than validating one answer against it, and clients send the
 * same few schemas with every request, so each is compiled once and kept. The key is a hash, not
 * the text, so a client that sends a 1 MiB schema holds 1 MiB only while its compiled form is
 * cached; the bound keeps clients that generate a fresh schema per request from growing the heap.
 *
 * <p>Schemas are compiled as JSON Schema 2020-12 unless they name another draft in {@code $schema}.
 * They may not load anything: a {@code $ref} to a URL is refused rather than fetched, so a client
 * cannot make the gateway call hosts of its choosing. Patterns are compiled with RE2/J ({@link
 * Re2jRegularExpressionFactory}), so no pattern can make validation backtrack. A schema that fails
 * to compile is remembered as such, with the reason, so it is not compiled again on every request.
 *
 * <p>Thread-safe; concurrent misses on one schema compile it once.
 */
public final class SchemaCache {

  /** Entries kept unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 256;

  /** A schema not used for this long is dropped even when there is room. */
  public static final Duration DEFAULT_IDLE = Duration.ofHours(1);

  /** Longest library message quoted in a reason; it may echo the client's schema. */
  private static final int MAX_REASON_CHARS = 200;

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
      SchemaValidatorsConfig.builder()
          .pathType(PathType.JSON_POINTER)
          .regularExpressionFactory(Re2jRegularExpressionFactory.INSTANCE)
          .build();

  private final Cache<String, CompiledSchema> compiled;

  /**
   * @param capacity schemas kept at most; at least 1
   * @param idle how long an unused schema is kept
   */
  public SchemaCache(int capacity, Duration idle) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.compiled =
        Caffeine.newBuilder()
            .maximumSize(capacity)
            .expireAfterAccess(idle)
            // Eviction on the calling thread: no maintenance task on a shared pool per request.
            .executor(Runnable::run)
            .build();
  }

  public SchemaCache(int capacity) {
    this(capacity, DEFAULT_IDLE);
  }

  /** A cache of {@value #DEFAULT_CAPACITY} schemas kept for an hour of disuse. */
  public SchemaCache() {
    this(DEFAULT_CAPACITY);
  }

  /** The compiled form of a schema, or why it cannot be used. */
  public CompiledSchema get(JsonNode schema) {
    String text = schema.toString();
    return compiled.get(sha256(text), ignored -> compile(schema));
  }

  /** Schemas held now, usable or not (after pending evictions). */
  public long size() {
    compiled.cleanUp();
    return compiled.estimatedSize();
  }

  private static CompiledSchema compile(JsonNode schema) {
    if (!schema.isObject() && !schema.isBoolean()) {
      return new CompiledSchema.Unusable("a JSON Schema is an object (or true/false)");
    }
    try {
      // A copy: the cache outlives the request, whose tree others may still rewrite.
      JsonSchema compiled = Factory.INSTANCE.getSchema(schema.deepCopy(), CONFIG);
      // Resolve every $ref and compile every pattern now: a broken one should fail here, once,
      // when the request arrives, not on each answer.
      compiled.initializeValidators();
      return new CompiledSchema.Usable(compiled);
    } catch (RuntimeException e) {
      return new CompiledSchema.Unusable(reason(e));
    }
  }

  /** The library reports a bad schema with several exception types (its own, regex, URI). */
  private static String reason(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PatternSyntaxException regex) {
        return "a pattern is not a regular expression the gateway runs (RE2 syntax, without"
            + " lookaround or backreferences): "
            + clip(regex.getDescription());
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (message.contains("$ref") || message.contains("Reference") || message.contains("load")) {
      return "a $ref cannot be resolved (only references inside the schema are followed): "
          + clip(message);
    }
    return "it is not a valid JSON Schema: " + clip(message);
  }

  private static String clip(String text) {
    return text.length() <= MAX_REASON_CHARS ? text : text.substring(0, MAX_REASON_CHARS) + "…";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
