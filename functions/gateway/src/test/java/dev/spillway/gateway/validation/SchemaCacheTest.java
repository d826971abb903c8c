package dev.spillway.gateway.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void aSchemaIsCompiledOnce() throws Exception {
    SchemaCache cache = new SchemaCache(4);
    JsonSchema first = cache.get(json("{\"type\":\"object\",\"required\":[\"a\"]}")).orElseThrow();
    JsonSchema again = cache.get(json("{\"type\":\"object\",\"required\":[\"a\"]}")).orElseThrow();
    assertSame(first, again);
    assertEquals(1, cache.size());
  }

  @Test
  void theLeastRecentlyUsedSchemaIsDroppedFirst() throws Exception {
    SchemaCache cache = new SchemaCache(2);
    JsonNode a = json("{\"type\":\"string\"}");
    JsonNode b = json("{\"type\":\"number\"}");
    JsonNode c = json("{\"type\":\"boolean\"}");
    JsonSchema compiledA = cache.get(a).orElseThrow();
    JsonSchema compiledB = cache.get(b).orElseThrow();
    assertSame(compiledA, cache.get(a).orElseThrow(), "a is now the most recently used");
    cache.get(c);
    assertEquals(2, cache.size());
    assertSame(compiledA, cache.get(a).orElseThrow());
    assertNotSame(compiledB, cache.get(b).orElseThrow(), "b was dropped and compiled again");
  }

  @Test
  void aSchemaThatCannotBeCompiledIsEmptyAndRemembered() throws Exception {
    SchemaCache cache = new SchemaCache(4);
    assertTrue(cache.get(json("{\"type\":\"string\",\"pattern\":\"([a-z\"}")).isEmpty());
    assertTrue(cache.get(json("{\"$ref\":\"#/$defs/missing\"}")).isEmpty());
    assertTrue(
        cache
            .get(json("{\"$schema\":\"https://example.invalid/meta\",\"type\":\"string\"}"))
            .isEmpty());
    assertEquals(3, cache.size());
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
      assertTrue(cache.get(json("{\"$ref\":\"" + url + "\"}")).isEmpty());
      assertTrue(
          cache
              .get(json("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + url + "\"}}}"))
              .isEmpty());
      assertEquals(0, fetches.get());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anOlderDraftNamedInDollarSchemaIsHonoured() throws Exception {
    // In draft-07 an array under "items" describes each position; 2020-12 calls that prefixItems.
    JsonSchema draft7 =
        new SchemaCache(4)
            .get(
                json(
                    "{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
                        + "\"type\":\"array\",\"items\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}"))
            .orElseThrow();
    assertTrue(draft7.validate(json("[1,\"two\"]")).isEmpty());
    assertEquals(1, draft7.validate(json("[1,2]")).size());
  }

  @Test
  void theDefaultDraftIs2020_12() throws Exception {
    JsonSchema schema =
        new SchemaCache(4)
            .get(
                json(
                    "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"integer\"}],"
                        + "\"items\":{\"type\":\"string\"}}"))
            .orElseThrow();
    assertTrue(schema.validate(json("[1,\"a\",\"b\"]")).isEmpty());
    assertEquals(1, schema.validate(json("[1,\"a\",3]")).size());
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new SchemaCache(0));
  }
}
