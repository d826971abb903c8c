package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Test client for a running simulator: JSON and SSE over HttpClient, raw bytes over a socket. */
final class SimulatorHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  private final UpstreamSimulator simulator;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * A simulator on loopback with one event loop and no simulated latency, answering {@code tokens}
   * tokens: the common fixture of the endpoint tests, which assert shapes, not timing.
   */
  static UpstreamSimulator startWithoutLatency(int tokens) {
    return UpstreamSimulator.start(
        SimulatorOptions.builder()
            .host("127.0.0.1")
            .eventLoops(1)
            .defaultProfile(new ModelProfile(0, 0, 0, 0, tokens))
            .build());
  }

  SimulatorHttp(UpstreamSimulator simulator) {
    this.simulator = simulator;
  }

  /** One server-sent event. */
  record SseEvent(String event, String data) {
    JsonNode json() {
      return parse(data);
    }
  }

  /** How a raw exchange ended. */
  enum Ending {
    EOF,
    RESET,
    TIMEOUT
  }

  /** What a raw socket received and how it stopped receiving. */
  record Raw(String text, Ending ending) {

    /** The status code of the response line, -1 when nothing arrived. */
    int status() {
      return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
    }

    /** Everything after the response head, still chunk-framed for a stream. */
    String body() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? "" : text.substring(end + 4);
    }

    /** The value of one response header, or null. */
    String header(String name) {
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String prefix = name.toLowerCase() + ":";
      return head.lines()
          .filter(line -> line.toLowerCase().startsWith(prefix))
          .map(line -> line.substring(prefix.length()).trim())
          .findFirst()
          .orElse(null);
    }
  }

  HttpResponse<String> post(String path, String body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET().build());
  }

  HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json");
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpClient client() {
    return client;
  }

  /** Posts a streaming request and parses the complete event stream. */
  List<SseEvent> stream(String path, String body, String... headers) {
    HttpResponse<String> response = post(path, body, headers);
    if (response.statusCode() != 200) {
      fail("expected 200, got " + response.statusCode() + ": " + response.body());
    }
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    return events(response.body());
  }

  /** Splits an SSE body into events. */
  static List<SseEvent> events(String body) {
    List<SseEvent> events = new ArrayList<>();
    for (String frame : body.split("\n\n")) {
      if (frame.isBlank()) {
        continue;
      }
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : frame.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data.append(line.substring("data: ".length()));
        }
      }
      events.add(new SseEvent(event, data.toString()));
    }
    return events;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  static boolean isJson(String text) {
    try {
      JSON.readTree(text);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends a raw HTTP/1.1 POST and reads until the server closes, resets, or sends nothing for
   * {@code quietTimeout}.
   */
  Raw raw(String path, String body, Duration quietTimeout, String... headerLines) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", simulator.port()), 5000);
      socket.setSoTimeout((int) quietTimeout.toMillis());
      byte[] payload = body.getBytes(StandardCharsets.UTF_8);
      StringBuilder head =
          new StringBuilder()
              .append("POST ")
              .append(path)
              .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")
              .append("Content-Length: ")
              .append(payload.length)
              .append("\r\n");
      for (String line : headerLines) {
        head.append(line).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();

      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      Ending ending;
      while (true) {
        try {
          int n = in.read(buffer);
          if (n < 0) {
            ending = Ending.EOF;
            break;
          }
          received.write(buffer, 0, n);
        } catch (SocketTimeoutException e) {
          ending = Ending.TIMEOUT;
          break;
        } catch (SocketException e) {
          ending = Ending.RESET;
          break;
        }
      }
      return new Raw(received.toString(StandardCharsets.UTF_8), ending);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One request on its own connection, which the server closes after the response ({@code
   * Connection: close}): the response ends at EOF, and the connection count can be checked back to
   * 0 afterwards, which a pooling client would not allow.
   */
  Raw once(String path, String body, String... headerLines) {
    String[] lines = new String[headerLines.length + 1];
    lines[0] = "Connection: close";
    System.arraycopy(headerLines, 0, lines, 1, headerLines.length);
    return raw(path, body, Duration.ofSeconds(5), lines);
  }

  /** How many times {@code needle} occurs in {@code text}. */
  static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  /** Waits until nothing is in flight and no connection is open: nothing leaked. */
  static void awaitIdle(UpstreamSimulator simulator) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    SimulatorStats stats = simulator.stats();
    while ((stats.inFlight() != 0 || stats.openConnections() != 0)
        && System.nanoTime() < deadline) {
      pause(10);
      stats = simulator.stats();
    }
    assertEquals(0, stats.inFlight(), "requests in flight");
    assertEquals(0, stats.openConnections(), "open connections");
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits up to {@code limit} for a condition that the simulator reaches asynchronously. */
  static void eventually(BooleanSupplier condition, Duration limit, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not reached within " + limit + ": " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
