package dev.spillway.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LoadTestConfigTest {

  private static Properties properties(String... pairs) {
    Properties properties = new Properties();
    for (int i = 0; i < pairs.length; i += 2) {
      properties.setProperty(pairs[i], pairs[i + 1]);
    }
    return properties;
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    LoadTestConfig config = LoadTestConfig.fromProperties(new Properties());

    assertEquals("http://localhost:8080", config.baseUrl());
    assertEquals("sk-spillway-local-dev", config.apiKey());
    assertEquals("gpt-4o-mini", config.model());
    assertEquals(10, config.users());
    assertEquals(5, config.rampSeconds());
    assertEquals(30, config.durationSeconds());
    assertEquals(0, config.rate());
    assertEquals(2000, config.maxTtftP95Ms());
    assertEquals(1.0, config.maxErrorPercent());
  }

  @Test
  void propertiesOverrideDefaults() {
    LoadTestConfig config =
        LoadTestConfig.fromProperties(
            properties(
                "baseUrl",
                "http://127.0.0.1:18090/",
                "users",
                "3",
                "rate",
                "12.5",
                "maxTtftP95Ms",
                "1",
                "maxErrorPercent",
                "0"));

    assertEquals("http://127.0.0.1:18090", config.baseUrl());
    assertEquals(3, config.users());
    assertEquals(12.5, config.rate());
    assertEquals(1, config.maxTtftP95Ms());
    assertEquals(0, config.maxErrorPercent());
  }

  @Test
  void badValuesNameTheProperty() {
    IllegalArgumentException notNumber =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoadTestConfig.fromProperties(properties("users", "many")));
    IllegalArgumentException outOfRange =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoadTestConfig.fromProperties(properties("maxErrorPercent", "150")));

    assertTrue(notNumber.getMessage().contains("-Dusers"));
    assertTrue(outOfRange.getMessage().contains("-DmaxErrorPercent"));
  }

  @Test
  void chatBodyIsJsonOnceTheTemplateIsFilled() throws Exception {
    LoadTestConfig config =
        LoadTestConfig.fromProperties(properties("model", "m\"#{x}@fault=503", "maxTokens", "7"));

    String filled = config.chatBody(true).replace("#{randomUuid()}", "0000");
    JsonNode body = new ObjectMapper().readTree(filled);

    assertEquals("m\"#{x}@fault=503", body.path("model").asText());
    assertEquals(7, body.path("max_tokens").asInt());
    assertTrue(body.path("stream").asBoolean());
    assertTrue(body.path("stream_options").path("include_usage").asBoolean());
    assertEquals(2, body.path("messages").size());
    assertTrue(config.chatBody(false).indexOf("\"stream\"") < 0);
  }
}
