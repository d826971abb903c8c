package dev.spillway.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code gateway.drift.*} as SmallRye Config maps it, and what start-up validation says of it. */
class DriftConfigTest {

  private static GatewayConfig config(Map<String, String> drift) {
    Map<String, String> properties = new HashMap<>(drift);
    properties.put("gateway.providers.openai.kind", "openai");
    properties.put("gateway.providers.openai.base-url", "http://localhost:8090/v1");
    properties.put("gateway.routes.\"m\".targets[0].provider", "openai");
    properties.put("gateway.routes.\"m\".targets[0].model", "m");
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(GatewayConfig.class)
            // Quarkus's own duration syntax ("5s", "200ms"), as in the application.
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 100))
            .build();
    return config.getConfigMapping(GatewayConfig.class);
  }

  private static List<String> problems(Map<String, String> drift) {
    return new GatewayConfigValidator().problems(config(drift));
  }

  @Test
  void samplingIsOffByDefault() {
    GatewayConfig config = config(Map.of());
    assertEquals(0.0, config.drift().sampleRate());
    assertTrue(config.drift().sampleRates().isEmpty());
    assertEquals(Optional.empty(), config.drift().sink());
    assertEquals(List.of(), new GatewayConfigValidator().problems(config));
  }

  @Test
  void overridesAreKeyedByTenantAndFeature() {
    GatewayConfig config =
        config(
            Map.of(
                "gateway.drift.sample-rate", "0.01",
                "gateway.drift.sample-rates.\"acme/*\"", "0.5",
                "gateway.drift.sample-rates.\"acme/search\"", "1",
                "gateway.drift.sink", "http://localhost:8083/ingest"));
    assertEquals(0.01, config.drift().sampleRate());
    assertEquals(Map.of("acme/*", 0.5, "acme/search", 1.0), config.drift().sampleRates());
    assertEquals(Optional.of(URI.create("http://localhost:8083/ingest")), config.drift().sink());
    assertEquals(List.of(), new GatewayConfigValidator().problems(config));
  }

  @Test
  void ratesOutsideZeroToOneStopTheStartNamingTheKey() {
    assertEquals(
        List.of("gateway.drift.sample-rate must be between 0 and 1, got 1.5"),
        problems(Map.of("gateway.drift.sample-rate", "1.5")));
    assertEquals(
        List.of("gateway.drift.sample-rate must be between 0 and 1, got -0.1"),
        problems(Map.of("gateway.drift.sample-rate", "-0.1")));
    assertEquals(
        List.of("gateway.drift.sample-rates.\"acme/search\" must be between 0 and 1, got 2.0"),
        problems(Map.of("gateway.drift.sample-rates.\"acme/search\"", "2")));
  }

  @Test
  void malformedScopesAndSinksStopTheStart() {
    assertEquals(
        List.of(
            "gateway.drift.sample-rates.\"acme\" must be keyed \"<tenant>/<feature>\" or"
                + " \"<tenant>/*\""),
        problems(Map.of("gateway.drift.sample-rates.\"acme\"", "0.5")));
    assertEquals(
        List.of("gateway.drift.sink must be an absolute http(s) URL"),
        problems(Map.of("gateway.drift.sink", "broker.local/drift")));
  }
}
