package dev.spillway.simulator.server;

import static dev.spillway.simulator.provider.JsonText.quoted;

import dev.spillway.simulator.provider.ApiError;
import dev.spillway.simulator.provider.anthropic.AnthropicDialect;
import dev.spillway.simulator.provider.openai.OpenAiDialect;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP server instance on its own event loop. Several instances listen on the same port and
 * Vert.x spreads connections across them, which is how the simulator uses every core.
 */
public final class SimulatorVerticle extends AbstractVerticle {

  private static final OpenAiDialect OPENAI = new OpenAiDialect();
  private static final AnthropicDialect ANTHROPIC = new AnthropicDialect();
  private static final byte[] HEALTH = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

  private final SimulatorRuntime runtime;
  private final ListenerControl listeners;
  private final String host;
  private final int port;
  private volatile int actualPort;
  private CompletionResource chat;
  private CompletionResource messages;
  private AdminResource admin;
  private byte[] models;
  private HttpServer server;

  /**
   * @param port the port to listen on; a negative port is a random one shared by every instance
   *     given the same negative number (then read {@link #actualPort()})
   */
  public SimulatorVerticle(
      SimulatorRuntime runtime, ListenerControl listeners, String host, int port) {
    this.runtime = runtime;
    this.listeners = listeners;
    this.host = host;
    this.port = port;
  }

  /** The port this instance listens on, once started. */
  public int actualPort() {
    return actualPort;
  }

  @Override
  public void start(Promise<Void> started) {
    chat = new CompletionResource(vertx, runtime, OPENAI, Endpoint.CHAT_COMPLETIONS);
    messages = new CompletionResource(vertx, runtime, ANTHROPIC, Endpoint.MESSAGES);
    admin = new AdminResource(runtime, listeners);
    models = modelList();
    listen(port).<Void>mapEmpty().onComplete(started);
  }

  /** Closes this instance's server, keeping the instance for {@link #listenAgain}. */
  public Future<Void> stopListening() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(
        onLoop -> {
          HttpServer closing = server;
          server = null;
          (closing == null ? Future.<Void>succeededFuture() : closing.close()).onComplete(stopped);
        });
    return stopped.future();
  }

  /** Listens again, on this instance's own event loop, once {@link #stopListening} is done. */
  public Future<Integer> listenAgain(int onPort) {
    Promise<Integer> listening = Promise.promise();
    context.runOnContext(onLoop -> listen(onPort).onComplete(listening));
    return listening.future();
  }

  /** Creates and binds the server; runs on this instance's context so requests run there too. */
  private Future<Integer> listen(int onPort) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(onPort)
            .setTcpNoDelay(true)
            .setCompressionSupported(false)
            .setDecompressionSupported(false)
            .setHandle100ContinueAutomatically(true)
            .setIdleTimeout(0)
            // HTTP/1.1 only: with h2c on, a connection is only set up (and counted) after its first
            // bytes.
            .setHttp2ClearTextEnabled(false);
    server = vertx.createHttpServer(options);
    server.connectionHandler(this::track);
    server.requestHandler(this::route);
    return server
        .listen()
        .map(
            listening -> {
              actualPort = listening.actualPort();
              return actualPort;
            });
  }

  private void track(HttpConnection connection) {
    runtime.stats().connectionOpened();
    runtime.connections().add(connection);
    connection.closeHandler(
        closed -> {
          runtime.connections().remove(connection);
          runtime.stats().connectionClosed();
        });
  }

  private void route(HttpServerRequest request) {
    String path = request.path();
    HttpMethod method = request.method();
    switch (path) {
      case "/v1/chat/completions" -> {
        if (method == HttpMethod.POST) {
          chat.handle(request);
        } else {
          notFound(request);
        }
      }
      case "/v1/messages" -> {
        if (method == HttpMethod.POST) {
          messages.handle(request);
        } else {
          notFound(request);
        }
      }
      case "/v1/models" -> {
        if (method == HttpMethod.GET) {
          fixed(request, Endpoint.MODELS, models);
        } else {
          notFound(request);
        }
      }
      case "/health" -> fixed(request, Endpoint.HEALTH, HEALTH);
      default -> {
        if (path.startsWith("/admin/")) {
          admin.handle(request);
        } else {
          notFound(request);
        }
      }
    }
  }

  private void fixed(HttpServerRequest request, Endpoint endpoint, byte[] body) {
    runtime.stats().requestStarted(endpoint);
    if (endpoint == Endpoint.MODELS && !ApiKeys.authorised(request, runtime.options().apiKey())) {
      respond(
          request,
          401,
          Buffer.buffer(
              OPENAI.errorBody(ApiError.AUTHENTICATION, "Incorrect or missing API key.", null)));
    } else {
      respond(request, 200, Buffer.buffer(body));
    }
    runtime.stats().requestEnded();
  }

  private void notFound(HttpServerRequest request) {
    runtime.stats().requestStarted(Endpoint.NOT_FOUND);
    respond(
        request,
        404,
        Buffer.buffer(
            OPENAI.errorBody(
                ApiError.NOT_FOUND,
                "Unknown request URL: " + request.method() + " " + request.path() + ".",
                null)));
    runtime.stats().requestEnded();
  }

  private void respond(HttpServerRequest request, int status, Buffer body) {
    runtime.stats().statusSent(status);
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CompletionExchange.APPLICATION_JSON)
        .end(body);
  }

  /** The configured model names, OpenAI list-shaped; any other name is accepted too. */
  private byte[] modelList() {
    StringBuilder out = new StringBuilder("{\"object\":\"list\",\"data\":[");
    boolean first = true;
    for (String name : runtime.options().models().keySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"id\":");
      quoted(out, name)
          .append(",\"object\":\"model\",\"created\":0,\"owned_by\":\"spillway-simulator\"}");
    }
    return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
