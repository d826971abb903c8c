package dev.spillway.simulator.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultRates;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /admin/*}: stats, fault rates, connection refusal and reset. Not counted in stats and not
 * behind the API key, so tests can always look. Thread-safe.
 */
final class AdminResource {

  private final SimulatorRuntime runtime;
  private final ListenerControl listeners;

  AdminResource(SimulatorRuntime runtime, ListenerControl listeners) {
    this.runtime = runtime;
    this.listeners = listeners;
  }

  void handle(HttpServerRequest request) {
    HttpMethod method = request.method();
    String path = request.path();
    if (method == HttpMethod.GET && path.equals("/admin/stats")) {
      send(request, 200, toJson(runtime.stats().snapshot()));
    } else if (method == HttpMethod.GET && path.equals("/admin/faults")) {
      send(request, 200, toJson(Map.of("rates", runtime.faultRates().byWireName())));
    } else if (method == HttpMethod.POST && path.equals("/admin/faults")) {
      request.bodyHandler(body -> setFaults(request, body));
    } else if (method == HttpMethod.POST && path.equals("/admin/reset")) {
      runtime.reset();
      send(request, 200, "{\"status\":\"reset\"}");
    } else {
      send(request, 404, problem("no admin endpoint " + method + " " + path));
    }
  }

  /**
   * Applies {@code {"rates": {"503": 0.1, ...}, "refuseMs": 2000}}. Rates, when present, replace
   * the current ones; the refusal starts after this response has been sent.
   */
  private void setFaults(HttpServerRequest request, Buffer body) {
    JsonNode json;
    try {
      json = runtime.json().readTree(body.getBytes());
    } catch (IOException e) {
      send(request, 400, problem("body is not valid JSON"));
      return;
    }
    if (json == null || !json.isObject()) {
      send(request, 400, problem("body must be a JSON object"));
      return;
    }
    FaultRates rates = runtime.faultRates();
    JsonNode ratesNode = json.get("rates");
    if (ratesNode != null) {
      try {
        rates = parseRates(ratesNode);
      } catch (IllegalArgumentException e) {
        send(request, 400, problem("rates: " + e.getMessage()));
        return;
      }
    }
    JsonNode refuseNode = json.path("refuseMs");
    long refuseMillis = 0;
    if (!refuseNode.isMissingNode()) {
      if (!refuseNode.canConvertToLong() || refuseNode.asLong() < 0) {
        send(request, 400, problem("refuseMs: must be a non-negative whole number"));
        return;
      }
      refuseMillis = refuseNode.asLong();
    }
    runtime.faultRates(rates);
    Map<String, Object> applied = new LinkedHashMap<>();
    applied.put("rates", rates.byWireName());
    applied.put("refuseMs", refuseMillis);
    long refuse = refuseMillis;
    send(request, 200, toJson(applied))
        .onComplete(
            sent -> {
              if (refuse > 0) {
                listeners.refuseConnections(Duration.ofMillis(refuse));
              }
            });
  }

  private static FaultRates parseRates(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("must be an object of fault name to probability");
    }
    Map<Fault, Double> rates = new EnumMap<>(Fault.class);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      Fault fault =
          Fault.fromWireName(entry.getKey())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown fault '"
                              + entry.getKey()
                              + "', expected one of: "
                              + Fault.wireNames()));
      if (!entry.getValue().isNumber()) {
        throw new IllegalArgumentException("rate for '" + entry.getKey() + "' must be a number");
      }
      rates.put(fault, entry.getValue().asDouble());
    }
    return new FaultRates(rates);
  }

  private Future<Void> send(HttpServerRequest request, int status, String body) {
    return request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CompletionExchange.APPLICATION_JSON)
        .end(body);
  }

  private String toJson(Object value) {
    try {
      return runtime.json().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stats are always serialisable", e);
    }
  }

  private String problem(String message) {
    return toJson(Map.of("error", Map.of("message", message, "type", "invalid_request_error")));
  }
}
