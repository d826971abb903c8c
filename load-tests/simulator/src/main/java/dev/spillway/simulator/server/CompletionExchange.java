package dev.spillway.simulator.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The life of one simulated-API request: delayed writes, streaming, stalls and abrupt closes, with
 * the in-flight gauge decremented exactly once however it ends.
 *
 * <p>Not thread-safe and needs not be: the request, its timers and its close handler all run on the
 * event loop of the request's connection.
 */
final class CompletionExchange {

  static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final StatsRecorder stats;
  private long timer = -1;
  private boolean ended;

  CompletionExchange(Vertx vertx, HttpServerRequest request, StatsRecorder stats) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.stats = stats;
    // Fires when the client (or we) close the connection before the response ended: a client
    // timing out on a stall must not leave a timer or an in-flight count behind.
    response.closeHandler(closed -> end());
  }

  HttpServerRequest request() {
    return request;
  }

  /** Runs {@code action} after {@code delayMillis}, at once when 0, never once ended. */
  void after(long delayMillis, Runnable action) {
    if (ended) {
      return;
    }
    if (delayMillis <= 0) {
      action.run();
      return;
    }
    timer =
        vertx.setTimer(
            delayMillis,
            id -> {
              timer = -1;
              if (!ended) {
                action.run();
              }
            });
  }

  /** Sends a complete JSON response. */
  void sendJson(int status, String body) {
    stats.statusSent(status);
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
    response.end(Buffer.buffer(body));
    end();
  }

  /** Sends a JSON error, with {@code Retry-After} when {@code retryAfterSeconds} is positive. */
  void sendError(int status, String body, long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      response.putHeader(RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    sendJson(status, body);
  }

  /**
   * Announces the length of the full JSON body but sends only {@code sent}, a prefix of it, then
   * runs {@code next} once that prefix is on the wire.
   */
  void sendPartialJson(String body, String sent, Runnable next) {
    Buffer part = Buffer.buffer(sent);
    stats.statusSent(200);
    response
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(Buffer.buffer(body).length()));
    response.write(part).onComplete(written -> next.run());
  }

  /** Sends 200 with server-sent-event headers and nothing else yet. */
  void startStream() {
    stats.statusSent(200);
    response
        .setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
    response.writeHead();
  }

  /** Writes stream events; nothing for an empty builder. */
  void write(StringBuilder events) {
    if (!ended && events.length() > 0) {
      response.write(Buffer.buffer(events.toString()));
    }
  }

  /** Writes the last stream events and ends the response normally. */
  void endStream(StringBuilder events) {
    if (!ended) {
      response.end(Buffer.buffer(events.toString()));
      end();
    }
  }

  /** Writes stream events, then closes the connection without ending the response. */
  void writeThenClose(StringBuilder events) {
    if (ended) {
      return;
    }
    if (events.length() == 0) {
      closeConnection();
      return;
    }
    response.write(Buffer.buffer(events.toString())).onComplete(written -> closeConnection());
  }

  /** Sends nothing more for {@code millis}, then closes the connection. */
  void stallThenClose(long millis) {
    after(millis, this::closeConnection);
  }

  /** Closes the connection with a FIN, as a server that gave up would. */
  void closeConnection() {
    request.connection().close();
    end();
  }

  /**
   * Closes the connection with a TCP reset: SO_LINGER 0 makes the close send RST instead of FIN,
   * which is what clients see when an upstream process dies or a load balancer drops them.
   */
  void resetConnection() {
    HttpConnection connection = request.connection();
    if (connection instanceof ConnectionBase base) {
      Channel channel = base.channel();
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    } else {
      connection.close();
    }
    end();
  }

  private void end() {
    if (ended) {
      return;
    }
    ended = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    stats.requestEnded();
  }
}
