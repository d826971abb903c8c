package dev.spillway.gateway.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.simulator.UpstreamSimulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** What the gateway does when the client leaves, and when the upstream refuses the request. */
@QuarkusTest
@QuarkusTestResource(value = UpstreamSimulatorResource.class, restrictToAnnotatedClass = false)
class ClientDisconnectTest {

  @TestHTTPResource("/")
  URL gateway;

  @Test
  void aClientThatDisconnectsMidStreamCancelsTheUpstreamRequest() throws Exception {
    UpstreamSimulator simulator = UpstreamSimulatorResource.simulator();
    String body =
        "{\"model\":\"slow-stream\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    // 400 tokens at 50 ms each: the upstream would stream for 20 s if nobody stopped it.
    try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                  + "Authorization: Bearer "
                  + UpstreamSimulatorResource.ACME_KEY
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("HTTP/1.1 200 OK", in.readLine());
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.contains("\"content\":\"")
          || line.contains("\"content\":\"\""));
      assertTrue(simulator.stats().inFlight() >= 1, "the upstream is streaming");
    }
    // The socket is closed: the gateway must reset its upstream request well before the 20 s.
    awaitZero(() -> simulator.stats().inFlight());
  }

  @Test
  void anUpstreamClientErrorIsReturnedWithoutFallback() {
    given()
        .header("Authorization", "Bearer " + UpstreamSimulatorResource.ACME_KEY)
        .contentType(ContentType.JSON)
        .body(
            "{\"model\":\"upstream-rejects\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .post("/v1/chat/completions")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("upstream_rejected"))
        .body("error.type", equalTo("invalid_request_error"));
  }

  /** Polls a gauge until it reads zero; fails after 5 s. */
  private static void awaitZero(LongSupplier gauge) throws InterruptedException {
    for (int i = 0; i < 250 && gauge.getAsLong() != 0; i++) {
      Thread.sleep(20);
    }
    assertEquals(
        0, gauge.getAsLong(), "upstream requests still in flight 5 s after the client left");
  }
}
