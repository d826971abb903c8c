package dev.spillway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudEventSenderTest {

  private final ObjectMapper mapper = new ObjectMapper();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void deliversInBinaryModeWithCeHeaders() throws Exception {
    CompletableFuture<MultiMap> headers = new CompletableFuture<>();
    CompletableFuture<String> body = new CompletableFuture<>();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                request ->
                    request.body(
                        b -> {
                          headers.complete(request.headers());
                          body.complete(b.result().toString());
                          request.response().setStatusCode(202).end();
                        }))
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    var data = JsonNodeFactory.instance.objectNode().put("tenant", "acme");
    CloudEvent event = CloudEvent.of("/spillway/test", EventTypes.USAGE_RECORDED, "acme", data);
    try (CloudEventSender sender =
        new CloudEventSender(
            vertx,
            URI.create("http://localhost:" + server.actualPort() + "/events"),
            mapper,
            8,
            2000)) {
      sender.send(event);
      MultiMap received = headers.get(10, TimeUnit.SECONDS);
      assertEquals("1.0", received.get("ce-specversion"));
      assertEquals(event.id(), received.get("ce-id"));
      assertEquals(EventTypes.USAGE_RECORDED, received.get("ce-type"));
      assertEquals("/spillway/test", received.get("ce-source"));
      assertEquals("acme", received.get("ce-subject"));
      assertEquals("application/json", received.get("content-type"));
      assertEquals("{\"tenant\":\"acme\"}", body.get(10, TimeUnit.SECONDS));
      await(() -> sender.sentCount() == 1);
      assertEquals(0, sender.droppedCount());
    }
  }

  @Test
  void dropsAndCountsWhenTheSinkIsDown() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (CloudEventSender sender =
        new CloudEventSender(
            vertx, URI.create("http://localhost:" + closedPort), mapper, 8, 2000)) {
      sender.send(CloudEvent.of("/t", "dev.spillway.test.sent", null, mapper.createObjectNode()));
      await(() -> sender.droppedCount() == 1);
      assertEquals(0, sender.sentCount());
      assertEquals(0, sender.inFlight());
    }
  }

  @Test
  void refusesANonHttpSink() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new CloudEventSender(vertx, URI.create("ftp://x"), mapper, 8, 1000));
  }

  /** Polls a condition the sender reaches asynchronously; fails after 10 s. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertEquals(true, condition.getAsBoolean(), "condition not reached within 10 s");
  }
}
