package dev.spillway.gateway.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SchemaCacheTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  /** The compiled schema, failing the test when the cache found it unusable. */
  private static JsonSchema usable(CompiledSchema compiled) {
    if (compiled instanceof CompiledSchema.Usable usable) {
      return usable.schema();
    }
    return fail("expected a usable schema: " + ((CompiledSchema.Unusable) compiled).reason());
  }

  private static String unusable(CompiledSchema compiled) {
    assertInstanceOf(CompiledSchema.Unusable.class, compiled);
    return ((CompiledSchema.Unusable) compiled).reason();
  }

  @Test
  void aSchemaIsCompiledOnce() throws Exception {
    SchemaCache cache = new SchemaCache(4);
    JsonSchema first = usable(cache.get(json("{\"type\":\"object\",\"required\":[\"a\"]}")));
    JsonSchema again = usable(cache.get(json("{\"type\":\"object\",\"required\":[\"a\"]}")));
    assertSame(first, again);
    assertEquals(1, cache.size());
  }

  @Test
  void theCacheIsBoundedBySize() throws Exception {
    SchemaCache cache = new SchemaCache(8);
    // A client that generates a fresh schema per request cannot grow the heap.
    for (int i = 0; i < 1_000; i++) {
      usable(cache.get(json("{\"type\":\"string\",\"maxLength\":" + i + "}")));
    }
    assertTrue(cache.size() <= 8, "held " + cache.size());
  }

  @Test
  void theKeyIsTheSchemasTextSoEqualSchemasShareAnEntry() throws Exception {
    SchemaCache cache = new SchemaCache(4);
    JsonSchema a = usable(cache.get(json("{\"type\":\"string\"}")));
    JsonSchema b = usable(cache.get(json("{ \"type\" : \"string\" }")));
    assertSame(a, b, "whitespace differs, the parsed tree is the same");
    assertNotSame(a, usable(cache.get(json("{\"type\":\"number\"}"))));
  }

  @Test
  void aSchemaThatCannotBeCompiledIsUnusableWithAReasonAndRemembered() throws Exception {
    SchemaCache cache = new SchemaCache(4);
    assertTrue(
        unusable(cache.get(json("{\"type\":\"string\",\"pattern\":\"([a-z\"}")))
            .contains("pattern"));
    assertTrue(unusable(cache.get(json("{\"$ref\":\"#/$defs/missing\"}"))).contains("$ref"));
    unusable(cache.get(json("{\"$schema\":\"https://example.invalid/meta\",\"type\":\"string\"}")));
    unusable(cache.get(json("[1,2]")));
    assertEquals(4, cache.size());
  }

  @Test
  void backtrackingOnlyPatternsAreRefusedWithTheReason() throws Exception {
    // RE2 has no lookaround or backreferences: such a pattern is named, not run by a backtracker.
    String reason =
        unusable(new SchemaCache(4).get(json("{\"type\":\"string\",\"pattern\":\"(a)\\\\1\"}")));
    assertTrue(reason.contains("RE2"), reason);
  }

  @Test
  void aCatastrophicBacktrackingPatternRunsInLinearTime() throws Exception {
    JsonSchema schema =
        usable(new SchemaCache(4).get(json("{\"type\":\"string\",\"pattern\":\"(a+)+$\"}")));
    // With a backtracking engine this input takes longer than the age of the universe; RE2
    // answers it in one pass. No time bound here: a test that finishes at all proves the point.
    String adversarial = "\"" + "a".repeat(50_000) + "!\"";
    assertEquals(1, schema.validate(json(adversarial)).size());
    assertTrue(schema.validate(json("\"baaa\"")).isEmpty(), "find, not match: a suffix of a's");
  }

  @Test
  void aRemoteRefIsRefusedNotFetched() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger fetches = new AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = "{\"type\":\"string\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/schema.json";
      SchemaCache cache = new SchemaCache(4);
      unusable(cache.get(json("{\"$ref\":\"" + url + "\"}")));
      unusable(
          cache.get(
              json("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + url + "\"}}}")));
      assertEquals(0, fetches.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anOlderDraftNamedInDollarSchemaIsHonoured() throws Exception {
    // In draft-07 an array under "items" describes each position; 2020-12 calls that prefixItems.
    JsonSchema draft7 =
        usable(
            new SchemaCache(4)
                .get(
                    json(
                        "{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
                            + "\"type\":\"array\",\"items\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}")));
    assertTrue(draft7.validate(json("[1,\"two\"]")).isEmpty());
    assertEquals(1, draft7.validate(json("[1,2]")).size());
  }

  @Test
  void theDefaultDraftIs2020_12() throws Exception {
    JsonSchema schema =
        usable(
            new SchemaCache(4)
                .get(
                    json(
                        "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"}],"
                            + "\"items\":{\"type\":\"string\"}}")));
    assertTrue(schema.validate(json("[1,\"a\",\"b\"]")).isEmpty());
    assertEquals(1, schema.validate(json("[1,\"a\",3]")).size());
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new SchemaCache(0));
  }
}
