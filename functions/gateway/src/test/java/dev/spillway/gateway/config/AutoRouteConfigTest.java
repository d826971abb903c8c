package dev.spillway.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.routing.AutoRouting;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gateway.routes.*.auto.*}: what start-up says of a quality route's settings and file. */
class AutoRouteConfigTest {

  static final String ROUTER = "../../onnx-models/routers/mmlu-ridge/router.json";

  @TempDir Path dir;

  private static GatewayConfig config(Map<String, String> auto) {
    Map<String, String> properties = new HashMap<>();
    properties.put("gateway.providers.openai.kind", "openai");
    properties.put("gateway.providers.openai.base-url", "http://localhost:8090/v1");
    String[][] targets = {{"cheap", "0.15", "0.60"}, {"strong", "2.50", "10.00"}};
    for (int i = 0; i < targets.length; i++) {
      String prefix = "gateway.routes.\"auto\".targets[" + i + "].";
      properties.put(prefix + "provider", "openai");
      properties.put(prefix + "model", targets[i][0]);
      properties.put(prefix + "input-usd-per-mtok", targets[i][1]);
      properties.put(prefix + "output-usd-per-mtok", targets[i][2]);
    }
    auto.forEach((key, value) -> properties.put("gateway.routes.\"auto\"." + key, value));
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(GatewayConfig.class)
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 100))
            .build();
    return config.getConfigMapping(GatewayConfig.class);
  }

  private static List<String> problems(Map<String, String> auto) {
    return new GatewayConfigValidator().problems(config(auto));
  }

  private static AutoRouting load(Map<String, String> auto) {
    GatewayConfig config = config(auto);
    return AutoRoutes.of("auto", config.routes().get("auto"), null, null);
  }

  @Test
  void aRouteWithoutARouterIsNotAuto() {
    assertEquals(List.of(), problems(Map.of()));
    assertNull(load(Map.of()));
  }

  @Test
  void theShippedRouterLoadsWithFloorsAndDefaults() {
    Map<String, String> auto =
        Map.of(
            "auto.router", ROUTER,
            "auto.floors.\"college_physics\"", "0.99",
            "auto.default-category", "anatomy");
    assertEquals(List.of(), problems(auto));
    AutoRouting routing = load(auto);
    assertNotNull(routing);
    assertEquals(0.99, routing.floor("college_physics"));
    assertEquals(0.95, routing.floor("anatomy"), "the default floor");
    assertEquals(57, routing.router().categories().size());
    assertNull(routing.classifier());
    assertEquals(Duration.ofMillis(15), routing.classifierTimeout());
  }

  @Test
  void theRouterShippedInsideTheGatewayLoadsFromTheClassPath() {
    AutoRouting routing = load(Map.of("auto.router", "classpath:routers/mmlu-ridge/router.json"));
    assertEquals(57, routing.router().categories().size());
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> load(Map.of("auto.router", "classpath:routers/none/router.json")));
    assertTrue(
        missing.getMessage().contains("no such resource on the class path"), missing.getMessage());
  }

  @Test
  void badSettingsAreNamedByKey() {
    List<String> problems =
        problems(
            Map.of(
                "auto.router", ROUTER,
                "auto.default-floor", "1.5",
                "auto.floors.\"anatomy\"", "-0.1",
                "targets[0].input-usd-per-mtok", "50",
                "auto.classifier.url", "embedding:8082"));
    String all = String.join("\n", problems);
    assertTrue(
        all.contains(
            "gateway.routes.\"auto\".auto.default-floor must be a fraction between 0 and 1, got 1.5"),
        all);
    assertTrue(all.contains("auto.floors.\"anatomy\" must be a fraction between 0 and 1"), all);
    assertTrue(all.contains("must be listed cheapest first"), all);
    assertTrue(all.contains("auto.classifier.url must be an absolute http(s) URL"), all);
    assertTrue(
        String.join("\n", problems(Map.of("auto.floors.\"anatomy\"", "0.9")))
            .contains("sets floors or a default category but no router"));
  }

  @Test
  void aCategoryTheRouterDoesNotKnowStopsTheStart() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                load(
                    Map.of(
                        "auto.router", ROUTER,
                        "auto.floors.\"contract_law\"", "0.99",
                        "auto.default-category", "astrology")));
    assertTrue(
        refused
            .getMessage()
            .contains("auto.floors.\"contract_law\" names a category the router does not know"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("default-category 'astrology'"), refused.getMessage());
  }

  @Test
  void aCorruptOrMissingRouterFileStopsTheStartNamingTheKeyAndTheFile() throws Exception {
    Path corrupt = dir.resolve("router.json");
    Files.writeString(
        corrupt, Files.readString(Path.of(ROUTER)).replace("\"delta\" : 0.05", "\"delta\" : 0.5"));
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class, () -> load(Map.of("auto.router", corrupt.toString())));
    assertTrue(
        refused.getMessage().startsWith("gateway.routes.\"auto\".auto.router: router file"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("corrupt"), refused.getMessage());
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> load(Map.of("auto.router", dir.resolve("none.json").toString())));
    assertTrue(missing.getMessage().contains("cannot be read"), missing.getMessage());
  }
}
