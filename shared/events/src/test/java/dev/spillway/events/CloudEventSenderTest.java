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

  /** A sink that records the first request's headers and body and answers {@code status}. */
  private HttpServer sink(
      CompletableFuture<MultiMap> headers, CompletableFuture<String> body, int status)
      throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(
            request ->
                request.body(
                    b -> {
                      headers.complete(request.headers());
                      body.complete(b.result().toString());
                      request.response().setStatusCode(status).end();
                    }))
        .listen(0)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void deliversInBinaryModeWithCeHeaders() throws Exception {
    CompletableFuture<MultiMap> headers = new CompletableFuture<>();
    CompletableFuture<String> body = new CompletableFuture<>();
    HttpServer server = sink(headers, body, 202);

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
  void deliversStructuredAndSignedForAnAwsIngress() throws Exception {
    CompletableFuture<MultiMap> headers = new CompletableFuture<>();
    CompletableFuture<String> body = new CompletableFuture<>();
    HttpServer server = sink(headers, body, 200);
    URI sink = URI.create("http://localhost:" + server.actualPort() + "/events/usage");
    java.time.Clock clock =
        java.time.Clock.fixed(
            java.time.Instant.parse("2026-01-15T10:00:00Z"), java.time.ZoneOffset.UTC);
    dev.spillway.events.aws.SigV4Signer signer =
        new dev.spillway.events.aws.SigV4Signer(
            "us-east-1",
            "execute-api",
            () -> new dev.spillway.events.aws.AwsCredentials("ASIAEXAMPLE", "secret", "token"),
            clock);
    var data = JsonNodeFactory.instance.objectNode().put("tenant", "acme");
    CloudEvent event = CloudEvent.of("/spillway/test", EventTypes.USAGE_RECORDED, "acme", data);
    try (CloudEventSender sender =
        new CloudEventSender(
            vertx,
            sink,
            mapper,
            8,
            2000,
            CloudEventSender.Mode.STRUCTURED,
            java.util.Optional.of(signer),
            CloudEventSender.Retry.DEFAULT)) {
      sender.send(event);
      MultiMap received = headers.get(10, TimeUnit.SECONDS);
      String json = body.get(10, TimeUnit.SECONDS);
      assertEquals("application/cloudevents+json", received.get("content-type"));
      var document = mapper.readTree(json);
      assertEquals("1.0", document.get("specversion").asText());
      assertEquals(event.id(), document.get("id").asText());
      assertEquals(EventTypes.USAGE_RECORDED, document.get("type").asText());
      assertEquals("acme", document.get("data").get("tenant").asText());
      // The signature covers exactly the body that arrived.
      assertEquals(
          signer
              .sign("POST", sink, json.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .get("Authorization"),
          received.get("Authorization"));
      assertEquals("token", received.get("X-Amz-Security-Token"));
      await(() -> sender.sentCount() == 1);
    }
  }

  @Test
  void anOrdinarySinkIsBinaryAndUnsigned() {
    try (CloudEventSender sender =
        CloudEventSender.forSink(vertx, URI.create("http://localhost:1/"), mapper, 1, 100)) {
      assertEquals(CloudEventSender.Mode.BINARY, sender.mode());
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

  /** A sink that answers the given statuses in order, then the last one for every later call. */
  private HttpServer scriptedSink(java.util.concurrent.atomic.AtomicInteger calls, int... statuses)
      throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(
            request ->
                request.body(
                    b -> {
                      int call = calls.getAndIncrement();
                      int status = statuses[Math.min(call, statuses.length - 1)];
                      request.response().setStatusCode(status).end();
                    }))
        .listen(0)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private CloudEventSender sender(HttpServer server, CloudEventSender.Retry retry) {
    return new CloudEventSender(
        vertx,
        URI.create("http://localhost:" + server.actualPort() + "/events"),
        mapper,
        8,
        2000,
        CloudEventSender.Mode.BINARY,
        java.util.Optional.empty(),
        retry);
  }

  @Test
  void aSinkThatRecoversGetsTheEventAfterARetry() throws Exception {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    HttpServer server = scriptedSink(calls, 503, 202);
    try (CloudEventSender sender =
        sender(server, new CloudEventSender.Retry(3, java.time.Duration.ofMillis(5)))) {
      sender.send(CloudEvent.of("/t", "dev.spillway.test.sent", null, mapper.createObjectNode()));
      await(() -> sender.sentCount() == 1);
      assertEquals(1, sender.retriedCount());
      assertEquals(0, sender.droppedCount());
      assertEquals(2, calls.get());
    }
  }

  @Test
  void aRefusedEventIsNotRetried() throws Exception {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    HttpServer server = scriptedSink(calls, 400);
    try (CloudEventSender sender =
        sender(server, new CloudEventSender.Retry(3, java.time.Duration.ofMillis(5)))) {
      sender.send(CloudEvent.of("/t", "dev.spillway.test.sent", null, mapper.createObjectNode()));
      await(() -> sender.droppedCount() == 1);
      assertEquals(0, sender.retriedCount());
      assertEquals(1, calls.get());
    }
  }

  @Test
  void retriesStopAtTheBoundAndTheEventIsDropped() throws Exception {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    HttpServer server = scriptedSink(calls, 503);
    try (CloudEventSender sender =
        sender(server, new CloudEventSender.Retry(3, java.time.Duration.ofMillis(5)))) {
      sender.send(CloudEvent.of("/t", "dev.spillway.test.sent", null, mapper.createObjectNode()));
      await(() -> sender.droppedCount() == 1);
      assertEquals(3, calls.get());
      assertEquals(2, sender.retriedCount());
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
