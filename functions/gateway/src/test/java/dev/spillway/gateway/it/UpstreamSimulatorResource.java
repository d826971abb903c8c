package dev.spillway.gateway.it;

import dev.spillway.gateway.auth.ApiKeyHasher;
import dev.spillway.simulator.ModelProfile;
import dev.spillway.simulator.SimulatorOptions;
import dev.spillway.simulator.UpstreamSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts the real upstream simulator and a CloudEvents sink on free ports, and configures the
 * gateway under test against them: providers, keys, and routes whose upstream model names carry the
 * simulator's fault directives ({@code model@fault=503}), since the gateway does not forward client
 * headers upstream.
 */
public class UpstreamSimulatorResource implements QuarkusTestResourceLifecycleManager {

  public static final String ACME_KEY = "sk-test-acme";
  public static final String GLOBEX_KEY = "sk-test-globex";

  /** Events the sink received: headers ({@code ce-*}) and body, in arrival order. */
  public static final List<JsonObject> EVENTS = new CopyOnWriteArrayList<>();

  /**
   * Requests the capturing upstream received (its {@code authorization} header and body): it shows
   * exactly what the gateway sends upstream, which the simulator does not echo.
   */
  public static final List<JsonObject> CAPTURED = new CopyOnWriteArrayList<>();

  private static UpstreamSimulator simulator;
  private Vertx vertx;

  public static UpstreamSimulator simulator() {
    return simulator;
  }

  @Override
  public Map<String, String> start() {
    simulator =
        UpstreamSimulator.start(
            SimulatorOptions.builder()
                .port(closedPort())
                .seed(42)
                .defaultProfile(new ModelProfile(5, 0, 1, 0, 12))
                .build());
    vertx = Vertx.vertx();
    HttpServer sink;
    try {
      sink =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request.body(
                          body -> {
                            JsonObject event = new JsonObject();
                            request
                                .headers()
                                .forEach(
                                    h -> {
                                      if (h.getKey().toLowerCase().startsWith("ce-")) {
                                        event.put(h.getKey().toLowerCase(), h.getValue());
                                      }
                                    });
                            event.put("data", body.result().toJsonObject());
                            EVENTS.add(event);
                            request.response().setStatusCode(202).end();
                          }))
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("event sink did not start", e);
    }

    HttpServer capture;
    try {
      capture =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request.body(
                          body -> {
                            CAPTURED.add(
                                new JsonObject()
                                    .put("authorization", request.getHeader("authorization"))
                                    .put("body", body.result().toJsonObject()));
                            request
                                .response()
                                .putHeader("content-type", "application/json")
                                .end(
                                    "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,"
                                        + "\"model\":\"captured\",\"choices\":[{\"index\":0,\"message\":"
                                        + "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}");
                          }))
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("capturing upstream did not start", e);
    }

    ApiKeyHasher hasher = new ApiKeyHasher();
    Map<String, String> config = new HashMap<>();
    String sim = simulator.baseUrl();
    config.put("gateway.providers.openai.base-url", sim + "/v1");
    config.put("gateway.providers.openai.api-key", "sk-upstream-secret");
    config.put("gateway.providers.anthropic.base-url", sim);
    config.put("gateway.providers.anthropic.api-key", "sk-ant-upstream-secret");
    config.put("gateway.providers.dead.kind", "openai");
    config.put("gateway.providers.dead.base-url", "http://127.0.0.1:" + closedPort() + "/v1");
    config.put("gateway.providers.capture.kind", "openai");
    config.put(
        "gateway.providers.capture.base-url", "http://localhost:" + capture.actualPort() + "/v1");
    config.put("gateway.providers.capture.api-key", "sk-capture-upstream");
    config.put("gateway.events.sink", "http://localhost:" + sink.actualPort() + "/events");
    key(config, hasher.hash(ACME_KEY), "acme", "search", "interactive");
    key(config, hasher.hash(GLOBEX_KEY), "globex", "batch-jobs", "batch");

    route(config, "sim-openai", "openai:gpt-4o-mini");
    route(config, "sim-anthropic", "anthropic:claude-haiku-4-5");
    route(config, "fallback-503", "openai:broken@fault=503", "anthropic:claude-haiku-4-5");
    route(config, "fallback-429", "openai:limited@fault=429", "openai:gpt-4o-mini");
    route(config, "fallback-reset", "openai:reset@fault=reset", "openai:gpt-4o-mini");
    route(config, "fallback-refused", "dead:gpt-4o-mini", "openai:gpt-4o-mini");
    route(config, "fallback-garbage", "openai:garbage@fault=malformed-body", "openai:gpt-4o-mini");
    route(config, "all-down", "openai:a@fault=503", "openai:b@fault=500");
    route(config, "all-limited", "openai:a@fault=429,retry-after=7");
    route(config, "cut-mid-stream", "openai:cut@fault=cut-mid,tokens=20");
    route(config, "no-usage", "openai:quiet@usage=omit");
    route(config, "capture", "capture:upstream-model-name");
    // The simulator answers 400 to an unknown directive: a client error no target would accept.
    route(config, "upstream-rejects", "openai:m@bogus=1", "openai:gpt-4o-mini");
    route(config, "slow-stream", "openai:slow@ttft=5,itl=50,tokens=400");
    return config;
  }

  private static void key(
      Map<String, String> config, String hash, String tenant, String feature, String tier) {
    config.put("gateway.keys.\"" + hash + "\".tenant", tenant);
    config.put("gateway.keys.\"" + hash + "\".feature", feature);
    config.put("gateway.keys.\"" + hash + "\".tier", tier);
  }

  /** Targets as {@code provider:model}; prices are fixed so tests can check the arithmetic. */
  private static void route(Map<String, String> config, String name, String... targets) {
    for (int i = 0; i < targets.length; i++) {
      String[] parts = targets[i].split(":", 2);
      String prefix = "gateway.routes.\"" + name + "\".targets[" + i + "].";
      config.put(prefix + "provider", parts[0]);
      config.put(prefix + "model", parts[1]);
      config.put(prefix + "input-usd-per-mtok", "1.00");
      config.put(prefix + "output-usd-per-mtok", "2.00");
    }
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (simulator != null) {
      simulator.close();
    }
    if (vertx != null) {
      vertx.close();
    }
  }
}
