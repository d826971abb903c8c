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

  private static final java.util.Map<String, java.util.concurrent.CompletableFuture<JsonObject>>
      BY_REQUEST = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The first event the sink receives for a request id (usage, query sample…), as a future: a test
   * waits on it instead of polling. Completed already when the event has come.
   */
  public static java.util.concurrent.CompletableFuture<JsonObject> eventFor(String requestId) {
    return BY_REQUEST.computeIfAbsent(
        requestId, id -> new java.util.concurrent.CompletableFuture<>());
  }

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
                            String requestId = event.getJsonObject("data").getString("request_id");
                            if (requestId != null) {
                              eventFor(requestId).complete(event);
                            }
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

    HttpServer wrongJson;
    try {
      // An OpenAI-compatible upstream whose JSON answers never match the caller's schema.
      wrongJson =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request.body(
                          body ->
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .end(
                                      "{\"id\":\"w1\",\"object\":\"chat.completion\",\"created\":1,"
                                          + "\"model\":\"wrong\",\"choices\":[{\"index\":0,\"message\":"
                                          + "{\"role\":\"assistant\",\"content\":\"{\\\"unexpected\\\":true}\"},"
                                          + "\"finish_reason\":\"stop\"}],"
                                          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}")))
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("wrong-JSON upstream did not start", e);
    }

    HttpServer classifier;
    try {
      // The embedding function's /v1/classify as the quality router asks it: one label per prompt.
      // Prompts about the pituitary gland are anatomy; "slow" ones are never answered (the route's
      // budget must decide); anything else gets a 503.
      classifier =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request.body(
                          body -> {
                            String input = body.result().toJsonObject().getString("input", "");
                            if (input.contains("pituitary")) {
                              request
                                  .response()
                                  .putHeader("content-type", "application/json")
                                  .end(
                                      "{\"object\":\"list\",\"data\":[{\"object\":\"classification\","
                                          + "\"index\":0,\"label\":\"anatomy\",\"probabilities\":{\"anatomy\":0.9}}],"
                                          + "\"model\":\"mmlu-subject\"}");
                            } else if (input.contains("slow")) {
                              // Never answered: the gateway's budget decides, whatever the clock.
                            } else {
                              request.response().setStatusCode(503).end();
                            }
                          }))
              .listen(0)
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("classifier did not start", e);
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
    // The foundation's tests check fallback one attempt per target, and count upstream requests:
    // retries, hedges and breakers stay out of their way. The chaos suite turns them on
    // (ResilienceProfile).
    config.put("gateway.retry.max-attempts-per-target", "1");
    config.put("gateway.hedge.mode", "off");
    config.put("gateway.breaker.request-volume", "10000");
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

    chaos(config, sim, closedPort(), wrongJson.actualPort());
    // Tenant isolation (TenantIsolationTest): two providers of its own, so their breakers are too.
    for (String name : List.of("iso1", "iso2")) {
      config.put("gateway.providers." + name + ".kind", "openai");
      config.put("gateway.providers." + name + ".base-url", sim + "/v1");
    }
    route(config, "iso", "iso1:gpt-4o-mini", "iso2:gpt-4o-mini");
    rule(config, "capture", "allowed-account-fields", "service_tier");
    // Quality routing (QualityRoutingTest): the shipped MMLU router between a cheap and a strong
    // target; anatomy may go cheap (default floor 50 %), college physics never (100 %).
    route(config, "auto", "openai:cheap-model", "openai:strong-model");
    rule(config, "auto", "targets[0].input-usd-per-mtok", "0.15");
    rule(config, "auto", "targets[0].output-usd-per-mtok", "0.60");
    rule(config, "auto", "targets[1].input-usd-per-mtok", "2.50");
    rule(config, "auto", "targets[1].output-usd-per-mtok", "10.00");
    rule(config, "auto", "auto.router", "../../onnx-models/routers/mmlu-ridge/router.json");
    rule(config, "auto", "auto.default-floor", "0.5");
    rule(config, "auto", "auto.floors.\"college_physics\"", "1.0");
    rule(config, "auto", "auto.classifier.url", "http://localhost:" + classifier.actualPort());
    rule(config, "auto", "auto.classifier.timeout", "300ms");
    return config;
  }

  /**
   * The chaos suite's routes (ResilienceTest). Each scenario has providers of its own, so that its
   * breakers, budgets and limits are its own; all but two point at the simulator.
   */
  private static void chaos(Map<String, String> config, String sim, int closed, int wrongJson) {
    for (String name :
        List.of(
            "p500",
            "p503",
            "p429",
            "p429only",
            "preset",
            "pstallfirst",
            "pstallmid",
            "pstallmidoff",
            "pcut",
            "pcutoff",
            "pempty",
            "ptrunc",
            "pslow",
            "pflap",
            "pdown1",
            "pdown2",
            "pdeadline",
            "pshed",
            "healthy")) {
      config.put("gateway.providers." + name + ".kind", "openai");
      config.put("gateway.providers." + name + ".base-url", sim + "/v1");
    }
    config.put("gateway.providers.healthyant.kind", "anthropic");
    config.put("gateway.providers.healthyant.base-url", sim);
    config.put("gateway.providers.prefused.kind", "openai");
    config.put("gateway.providers.prefused.base-url", "http://127.0.0.1:" + closed + "/v1");
    config.put("gateway.providers.wrongjson.kind", "openai");
    config.put("gateway.providers.wrongjson.base-url", "http://127.0.0.1:" + wrongJson + "/v1");

    String healthy = "healthy:gpt-4o-mini";
    route(config, "chaos-500", "p500:m@fault=500", healthy);
    route(config, "chaos-503", "p503:m@fault=503", "healthyant:claude-haiku-4-5");
    route(config, "chaos-429", "p429:m@fault=429,retry-after=1", healthy);
    route(config, "chaos-429-only", "p429only:m@fault=429,retry-after=1");
    route(config, "chaos-refused", "prefused:m", healthy);
    route(config, "chaos-reset", "preset:m@fault=reset", healthy);
    route(config, "chaos-stall-first", "pstallfirst:m@fault=stall-first,stall=30000", healthy);
    rule(config, "chaos-stall-first", "deadlines.first-token", "500ms");
    rule(config, "chaos-stall-first", "hedge.mode", "off");
    route(config, "chaos-stall-mid", "pstallmid:m@fault=stall-mid,tokens=20,stall=30000", healthy);
    rule(config, "chaos-stall-mid", "deadlines.stall", "500ms");
    rule(config, "chaos-stall-mid", "mid-stream-recovery", "true");
    route(config, "chaos-stall-mid-off", "pstallmidoff:m@fault=stall-mid,tokens=20,stall=30000");
    rule(config, "chaos-stall-mid-off", "deadlines.stall", "500ms");
    route(config, "chaos-cut", "pcut:m@fault=cut-mid,tokens=20,cut-at=random", healthy);
    rule(config, "chaos-cut", "mid-stream-recovery", "true");
    route(config, "chaos-cut-off", "pcutoff:m@fault=cut-mid,tokens=20,cut-at=random", healthy);
    route(config, "chaos-empty", "pempty:m@fault=empty", healthy);
    route(config, "chaos-truncated-json", "ptrunc:m@fault=truncated-json", healthy);
    route(config, "chaos-schema", "wrongjson:m", healthy);
    route(config, "chaos-hedge", "pslow:m@ttft=1500", healthy);
    rule(config, "chaos-hedge", "hedge.mode", "fixed");
    rule(config, "chaos-hedge", "hedge.delay", "200ms");
    route(config, "chaos-flap", "pflap:m@fault=503,flap=300", healthy);
    route(config, "chaos-all-down", "pdown1:a@fault=503", "pdown2:b@fault=500");
    route(config, "chaos-deadline", "pdeadline:m@ttft=3000");
    route(config, "chaos-deadline-stream", "pdeadline:s@ttft=5,itl=100,tokens=50");
    route(config, "chaos-shed", "pshed:m@ttft=1000");
  }

  private static void rule(Map<String, String> config, String route, String key, String value) {
    config.put("gateway.routes.\"" + route + "\"." + key, value);
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
