package dev.spillway.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.accounting.GatewayMetrics;
import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.dispatch.DispatchFailedException;
import dev.spillway.gateway.dispatch.StreamDispatch;
import dev.spillway.gateway.dispatch.StreamSummary;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.quota.QuotaTicket;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenCounter;
import dev.spillway.usage.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSE relay on a real Vert.x HTTP server, read by a raw socket: the test plays the dispatcher
 * (it completes or fails the dispatch and pushes the rest of the stream on the request's event
 * loop) and the client (it reads the bytes exactly as sent, or hangs up). The whole gateway, with
 * the simulator upstream, is exercised by {@code ChatCompletionsTest} and {@code
 * ClientDisconnectTest}.
 */
class SseRelayTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Target TARGET =
      new Target(
          new Named("openai"),
          "gpt-4o-mini",
          new Price(new BigDecimal("1.00"), new BigDecimal("2.00")));

  private static Vertx vertx;
  private static HttpServer server;
  private static final BlockingQueue<Served> served = new LinkedBlockingQueue<>();
  private static volatile ChatCompletionRequest nextRequest;
  private static volatile SimpleMeterRegistry registry;

  /** One request the relay is serving: where to signal it, and its pending dispatch. */
  private record Served(Context loop, UniEmitter<? super StreamDispatch> dispatch) {
    void run(Runnable signal) throws Exception {
      CompletableFuture<Void> done = new CompletableFuture<>();
      loop.runOnContext(
          ignored -> {
            try {
              signal.run();
              done.complete(null);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          });
      done.get();
    }

    /** Waits until everything the loop had queued has run (settlement follows the last write). */
    void sync() throws Exception {
      run(() -> {});
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                request -> {
                  Context loop = Vertx.currentContext();
                  UsageAccountant accountant =
                      new UsageAccountant(
                          new TokenCounter(),
                          counting -> Uni.createFrom().item(counting.get()),
                          new GatewayMetrics(registry, false),
                          Optional.empty(),
                          "test",
                          MAPPER);
                  Exchange exchange =
                      new Exchange(
                          "req-1",
                          System.nanoTime(),
                          new Caller("acme", "chat", PriorityTier.INTERACTIVE),
                          "route",
                          nextRequest,
                          null,
                          null,
                          QuotaTicket.NONE,
                          null);
                  new SseRelay(
                          exchange, request.response(), accountant, new ErrorResponses(), MAPPER)
                      .start(
                          Uni.createFrom()
                              .emitter(emitter -> served.add(new Served(loop, emitter))));
                })
            .listen(0)
            .toCompletionStage()
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void stopServer() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private Socket socket;

  /** Sends a streaming request and returns the relay's side of it. */
  private Served open(boolean includeUsage) throws Exception {
    registry = new SimpleMeterRegistry();
    nextRequest = request(includeUsage);
    socket = new Socket("127.0.0.1", server.actualPort());
    socket
        .getOutputStream()
        .write(
            ("POST /v1/chat/completions HTTP/1.1\r\nHost: test\r\nConnection: close\r\n"
                    + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    return served.take();
  }

  /** Everything the client receives until the server closes the connection. */
  private String readToEnd() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    socket.close();
    return all.toString(StandardCharsets.UTF_8);
  }

  @Test
  void nothingIsWrittenBeforeTheFirstOutputThenHeadRestCostAndDoneGoOutInOrder() throws Exception {
    Served call = open(false);
    call.sync();
    assertEquals(0, socket.getInputStream().available(), "no status before the first output");

    UnicastProcessor<ChatChunk> rest = UnicastProcessor.create();
    call.run(
        () ->
            call.dispatch()
                .complete(
                    dispatched(
                        List.of(chunk("{\"role\":\"assistant\"}"), chunk(content("Hel"))),
                        rest,
                        TokenUsage.reported(9, 3))));
    call.run(() -> rest.onNext(chunk(content("lo"))));
    call.run(() -> rest.onNext(usageOnly(9, 3)));
    call.run(rest::onComplete);
    String wire = readToEnd();
    call.sync();

    assertTrue(wire.startsWith("HTTP/1.1 200 OK"), wire);
    assertTrue(wire.contains("content-type: text/event-stream; charset=utf-8"), wire);
    assertTrue(wire.contains("x-spillway-provider: openai"), wire);
    assertTrue(wire.contains("x-spillway-attempts: 1"), wire);
    assertInOrder(
        wire,
        "\"role\":\"assistant\"",
        "\"content\":\"Hel\"",
        "\"content\":\"lo\"",
        // 9 prompt tokens at $1/M plus 3 output tokens at $2/M.
        ": x-spillway-cost-usd 0.000015",
        "data: [DONE]");
    assertFalse(wire.contains("\"usage\""), "usage chunks go only to clients that asked for them");
    assertEquals(1.0, requests(Outcome.SUCCESS));
  }

  @Test
  void aClientThatAskedForUsageGetsACountedUsageChunkWhenTheUpstreamSentNone() throws Exception {
    Served call = open(true);
    UnicastProcessor<ChatChunk> rest = UnicastProcessor.create();
    call.run(
        () ->
            call.dispatch()
                .complete(
                    dispatched(List.of(chunk(content("Hi"))), rest, new TokenUsage(5, 2, true))));
    call.run(rest::onComplete);
    String wire = readToEnd();

    assertInOrder(
        wire,
        "\"content\":\"Hi\"",
        "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}",
        "data: [DONE]");
    assertTrue(wire.contains("\"id\":\"chunk-1\""), "the usage chunk carries the stream's id");
  }

  @Test
  void aFailureBeforeTheFirstOutputIsAPlainErrorStatusInOpenAisShape() throws Exception {
    Served call = open(false);
    call.run(
        () ->
            call.dispatch()
                .fail(
                    new DispatchFailedException(
                        new ProviderException(
                            ProviderException.Kind.RATE_LIMITED,
                            "openai",
                            429,
                            Duration.ofSeconds(3),
                            "rate limited"),
                        2)));
    String wire = readToEnd();
    call.sync();

    assertTrue(wire.startsWith("HTTP/1.1 429 "), wire);
    assertTrue(wire.contains("retry-after: 3"), wire);
    assertTrue(wire.contains("content-type: application/json"), wire);
    assertTrue(wire.contains("\"error\":{"), wire);
    assertFalse(wire.contains("data:"), "no event stream was begun");
    assertEquals(1.0, requests(Outcome.UPSTREAM_ERROR));
  }

  @Test
  void aStreamThatBreaksAfterOutputEndsWithAnErrorEventNeverWithDone() throws Exception {
    Served call = open(false);
    UnicastProcessor<ChatChunk> rest = UnicastProcessor.create();
    call.run(
        () ->
            call.dispatch()
                .complete(
                    dispatched(List.of(chunk(content("Par"))), rest, new TokenUsage(9, 1, true))));
    call.run(
        () ->
            rest.onError(
                new ProviderException(
                    ProviderException.Kind.STREAM_BROKEN, "openai", "the stream was cut")));
    String wire = readToEnd();
    call.sync();

    assertInOrder(wire, "\"content\":\"Par\"", "data: {\"error\":{");
    assertFalse(wire.contains("[DONE]"), "a broken stream must not look complete");
    assertEquals(1.0, requests(Outcome.STREAM_BROKEN), "and is accounted for what it used");
  }

  @Test
  void aClientThatHangsUpCancelsTheUpstreamMidStreamAndIsAccountedAsCancelled() throws Exception {
    Served call = open(false);
    CompletableFuture<Void> upstreamClosed = new CompletableFuture<>();
    UnicastProcessor<ChatChunk> rest = UnicastProcessor.create();
    call.run(
        () ->
            call.dispatch()
                .complete(
                    dispatched(
                        List.of(chunk(content("Hel"))),
                        rest.onCancellation().invoke(() -> upstreamClosed.complete(null)),
                        new TokenUsage(9, 1, true))));
    InputStream in = socket.getInputStream();
    byte[] firstBytes = new byte[12];
    assertEquals(12, in.readNBytes(firstBytes, 0, 12), "the head went out");
    socket.close();

    upstreamClosed.get();
    call.sync();
    assertEquals(1.0, requests(Outcome.CLIENT_CANCELLED));
  }

  @Test
  void aClientThatHangsUpBeforeTheFirstOutputCancelsTheDispatch() throws Exception {
    Served call = open(false);
    CompletableFuture<Void> dispatchCancelled = new CompletableFuture<>();
    call.run(() -> call.dispatch().onTermination(() -> dispatchCancelled.complete(null)));
    socket.close();

    dispatchCancelled.get();
    call.sync();
    assertEquals(1.0, requests(Outcome.CLIENT_CANCELLED));
  }

  // --- helpers ---

  private static double requests(Outcome outcome) {
    return registry.get("spillway.requests").tag("outcome", outcome.label()).counter().count();
  }

  private static void assertInOrder(String wire, String... parts) {
    int from = 0;
    for (String part : parts) {
      int at = wire.indexOf(part, from);
      assertTrue(at >= 0, "expected «" + part + "» after offset " + from + " in:\n" + wire);
      from = at + part.length();
    }
  }

  private static StreamDispatch dispatched(
      List<ChatChunk> head, io.smallrye.mutiny.Multi<ChatChunk> rest, TokenUsage usage) {
    StreamSummary summary =
        new StreamSummary(List.of(new StreamSummary.Part(TARGET, usage)), false);
    return new StreamDispatch(head, rest, TARGET, 1, () -> Uni.createFrom().item(summary));
  }

  private static String content(String text) {
    return "{\"content\":\"" + text + "\"}";
  }

  private static ChatChunk chunk(String delta) {
    return read(
        "{\"id\":\"chunk-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
            + delta
            + ",\"finish_reason\":null}]}");
  }

  private static ChatChunk usageOnly(int prompt, int completion) {
    return read(
        "{\"id\":\"chunk-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
            + prompt
            + ",\"completion_tokens\":"
            + completion
            + ",\"total_tokens\":"
            + (prompt + completion)
            + "}}");
  }

  private static ChatChunk read(String encoded) {
    try {
      return ChatChunk.read(encoded, true);
    } catch (ChatChunk.Unreadable e) {
      throw new IllegalStateException(e);
    }
  }

  private static ChatCompletionRequest request(boolean includeUsage) {
    try {
      var json = MAPPER.createObjectNode();
      json.put("model", "route").put("stream", true);
      json.putArray("messages").addObject().put("role", "user").put("content", "hello");
      if (includeUsage) {
        json.putObject("stream_options").put("include_usage", true);
      }
      return new ChatCompletionRequestParser().parse(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A provider the relay never calls: it only reads the target's name. */
  private record Named(String name) implements ChatProvider {
    @Override
    public Uni<Completion> complete(UpstreamCall call) {
      throw new AssertionError("the relay never calls a provider");
    }

    @Override
    public Uni<ChunkStream> stream(UpstreamCall call) {
      throw new AssertionError("the relay never calls a provider");
    }
  }
}
