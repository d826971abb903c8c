package dev.spillway.simulator.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchemaInstanceGeneratorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SchemaInstanceGenerator generator =
      new SchemaInstanceGenerator(new TextGenerator());

  private JsonNode generate(String schema) throws Exception {
    String text = generator.generate(JSON.readTree(schema), new SplittableRandom(1));
    return JSON.readTree(text);
  }

  @Test
  void everyTypeGetsItsValue() throws Exception {
    JsonNode value =
        generate(
            "{\"type\":\"object\",\"properties\":{"
                + "\"s\":{\"type\":\"string\"},\"n\":{\"type\":\"number\"},\"i\":{\"type\":\"integer\"},"
                + "\"b\":{\"type\":\"boolean\"},\"a\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                + "\"o\":{\"type\":\"object\",\"properties\":{\"deep\":{\"type\":\"integer\"}}},"
                + "\"z\":{\"type\":\"null\"}}}");

    assertTrue(value.path("s").isTextual());
    assertTrue(value.path("s").asText().matches("[a-z]+"));
    assertEquals(42, value.path("n").asInt());
    assertEquals(42, value.path("i").asInt());
    assertTrue(value.path("b").asBoolean());
    assertTrue(value.path("a").isArray());
    assertEquals(0, value.path("a").size());
    assertEquals(42, value.path("o").path("deep").asInt());
    assertTrue(value.path("z").isNull());
  }

  @Test
  void enumConstCombinatorsAndTypeListsAreHonoured() throws Exception {
    JsonNode value =
        generate(
            "{\"properties\":{"
                + "\"e\":{\"type\":\"string\",\"enum\":[\"red\",\"green\"]},"
                + "\"c\":{\"const\":7},"
                + "\"any\":{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]},"
                + "\"maybe\":{\"type\":[\"null\",\"boolean\"]},"
                + "\"quoted \\\"key\\\"\":{\"type\":\"integer\"}}}");

    assertEquals("red", value.path("e").asText());
    assertEquals(7, value.path("c").asInt());
    assertEquals(42, value.path("any").asInt());
    assertTrue(value.path("maybe").asBoolean());
    assertEquals(42, value.path("quoted \"key\"").asInt());
  }

  @Test
  void missingSchemaGivesAnEmptyObject() {
    assertEquals("{}", generator.generate(null, new SplittableRandom(1)));
    assertEquals("{}", generator.generate(JSON.nullNode(), new SplittableRandom(1)));
  }
}
