package dev.spillway.drift.it;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A CloudEvents sink for the drift function's alerts: a real HTTP server on a free port that keeps
 * every binary-mode event it receives (its {@code ce-type}, {@code ce-subject} and body).
 */
public class EventSink implements QuarkusTestResourceLifecycleManager {

  /** One received event. */
  public record Received(String type, String subject, String body) {}

  private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
  private static HttpServer server;

  public static List<Received> received() {
    return List.copyOf(RECEIVED);
  }

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          RECEIVED.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("ce-type"),
                  exchange.getRequestHeaders().getFirst("ce-subject"),
                  body));
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    server.start();
    return Map.of("drift.events-sink", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
