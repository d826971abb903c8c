package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatsTest {

  private static final String BODY =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private static UpstreamSimulator start() {
    return UpstreamSimulator.start(
        SimulatorOptions.builder()
            .host("127.0.0.1")
            .eventLoops(2)
            .defaultProfile(new ModelProfile(0, 0, 0, 0, 5))
            .build());
  }

  @Test
  void requestsAreCountedByEndpointStatusAndTokens() {
    try (UpstreamSimulator simulator = start()) {
      SimulatorHttp http = new SimulatorHttp(simulator);
      http.post("/v1/chat/completions", BODY);
      http.post("/v1/chat/completions", BODY);
      http.post(
          "/v1/messages",
          "{\"model\":\"c\",\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      http.post("/v1/messages", "{\"model\":\"c\"}");
      http.get("/health");
      http.get("/nowhere");

      SimulatorStats stats = simulator.stats();
      JsonNode overHttp = SimulatorHttp.parse(http.get("/admin/stats").body());

      assertEquals(6, stats.totalRequests());
      assertEquals(2, stats.requests("chat.completions"));
      assertEquals(2, stats.requests("messages"));
      assertEquals(1, stats.requests("health"));
      assertEquals(1, stats.requests("not_found"));
      assertEquals(4, stats.responses(200));
      assertEquals(1, stats.responses(400));
      assertEquals(1, stats.responses(404));
      assertEquals(15, stats.completionTokens());
      long served = stats.tokensByMinute().values().stream().mapToLong(Long::longValue).sum();
      assertTrue(served > 15, "served tokens add prompt tokens to the 15 completion tokens");
      stats
          .tokensByMinute()
          .keySet()
          .forEach(minute -> assertEquals(0, Long.parseLong(minute) % 60_000, minute));
      assertEquals(0, stats.inFlight());
      assertEquals(6, overHttp.path("totalRequests").asInt(), "admin requests are not counted");
      assertEquals(2, overHttp.path("requestsByEndpoint").path("messages").asInt());
      assertEquals(0, overHttp.path("inFlight").asInt());
      assertEquals(
          served,
          overHttp.path("tokensByMinute").properties().stream()
              .mapToLong(e -> e.getValue().asLong())
              .sum());
    }
  }

  @Test
  void abandonedStallLeavesNothingInFlightOrOpen() throws IOException {
    try (UpstreamSimulator simulator = start()) {
      byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", simulator.port()), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-sim-fault: stall-first\r\n"
                    + "Content-Length: "
                    + body.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();

        SimulatorHttp.eventually(
            () -> simulator.stats().inFlight() == 1, Duration.ofSeconds(5), "request in flight");
        assertEquals(1, simulator.stats().openConnections());
      }

      SimulatorHttp.eventually(
          () -> simulator.stats().inFlight() == 0, Duration.ofSeconds(5), "in-flight back to 0");
      SimulatorHttp.eventually(
          () -> simulator.stats().openConnections() == 0,
          Duration.ofSeconds(5),
          "connection count back to 0");
      assertEquals(1, simulator.stats().faults(Fault.STALL_FIRST));
    }
  }

  @Test
  void resetZeroesCountersButKeepsGauges() {
    try (UpstreamSimulator simulator = start()) {
      SimulatorHttp http = new SimulatorHttp(simulator);
      http.post("/v1/chat/completions", BODY, "x-sim-fault", "500");

      simulator.reset();

      SimulatorStats stats = simulator.stats();
      assertEquals(0, stats.totalRequests());
      assertEquals(0, stats.faults(Fault.SERVER_ERROR));
      assertEquals(0, stats.responses(500));
      assertEquals(0, stats.inFlight());
    }
  }

  @Test
  void refusalClosesOpenConnectionsThenListensAgain() throws IOException {
    try (UpstreamSimulator simulator = start();
        Socket idle = new Socket()) {
      idle.connect(new InetSocketAddress("127.0.0.1", simulator.port()), 5000);
      idle.setSoTimeout(5000);
      SimulatorHttp.eventually(
          () -> simulator.stats().openConnections() == 1, Duration.ofSeconds(5), "connected");

      simulator.refuseConnections(Duration.ofMillis(300));

      int read;
      try {
        read = idle.getInputStream().read();
      } catch (SocketException reset) {
        read = -1;
      }
      assertEquals(-1, read, "the server closed the idle connection");
      SimulatorHttp.eventually(
          () -> simulator.stats().openConnections() == 0, Duration.ofSeconds(5), "no connection");
      SimulatorHttp http = new SimulatorHttp(simulator);
      SimulatorHttp.eventually(
          () -> {
            try {
              return http.get("/health").statusCode() == 200;
            } catch (UncheckedIOException refused) {
              return false;
            }
          },
          Duration.ofSeconds(10),
          "listening again");
    }
  }

  @Test
  void continuationsAreCountedInBothDialects() {
    String user = "{\"role\":\"user\",\"content\":\"go on\"}";
    String assistant = "{\"role\":\"assistant\",\"content\":\"Half an ans\"}";
    String system = "{\"role\":\"system\",\"content\":\"be brief\"}";
    String toolCall =
        "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}";
    String tool = "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}";
    try (UpstreamSimulator simulator = start()) {
      SimulatorHttp http = new SimulatorHttp(simulator);
      // Counted: continue after the assistant, and an assistant prefill.
      chat(http, system, user, assistant, user);
      chat(http, user, assistant);
      messages(http, user, assistant);
      messages(http, user, assistant, user);
      // Not counted: a first turn, two user messages after the assistant, a tool result, and a
      // request the simulator rejects.
      chat(http, system, user);
      chat(http, user, assistant, user, user);
      chat(http, user, toolCall, tool);
      messages(http, user);
      http.post(
          "/v1/messages",
          "{\"model\":\"c\",\"messages\":[" + user + "," + assistant + "]}"); // no max_tokens

      SimulatorStats stats = simulator.stats();
      JsonNode overHttp = SimulatorHttp.parse(http.get("/admin/stats").body());
      simulator.reset();

      assertEquals(4, stats.continuations());
      assertEquals(4, overHttp.path("continuations").asInt());
      assertEquals(1, stats.responses(400));
      assertEquals(0, stats.inFlight());
      assertEquals(0, simulator.stats().continuations(), "reset zeroes the counter");
    }
  }

  private static void chat(SimulatorHttp http, String... messages) {
    String body = "{\"model\":\"m\",\"messages\":[" + String.join(",", messages) + "]}";
    assertEquals(200, http.post("/v1/chat/completions", body).statusCode(), body);
  }

  private static void messages(SimulatorHttp http, String... messages) {
    String body =
        "{\"model\":\"c\",\"max_tokens\":5,\"messages\":[" + String.join(",", messages) + "]}";
    assertEquals(200, http.post("/v1/messages", body).statusCode(), body);
  }
}
