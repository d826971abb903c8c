package dev.spillway.gateway.it.quota;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the real quota function ({@code functions/quota}'s runnable jar, test profile, against the
 * {@code spillway_test} PostgreSQL database) as a separate process on a free port, and points the
 * gateway under test at it. Its tables live in a schema of their own ({@value #SCHEMA}), cleaned
 * when a test profile starts it: the quota function's own tests use the default schema of the same
 * database, and neither run may disturb the other. Tests may stop it (to see the unreachable
 * policies) and start it again on the same port.
 *
 * <p>The jar is built by the reactor before the gateway ({@code functions/quota} precedes it in the
 * parent POM). Where it is absent the tests fail with a message saying how to build it, rather than
 * skip: a quota test that silently does not run proves nothing. {@code
 * -Dspillway.skip-quota-it=true} skips them on purpose (a gateway-only build).
 */
public class QuotaFunctionResource implements QuarkusTestResourceLifecycleManager {

  /** The quota function's known local/test keys (never valid in production). */
  public static final String SERVICE_KEY = "sk-spillway-service-local-dev";

  public static final String ADMIN_KEY = "sk-spillway-admin-local-dev";

  static final String SCHEMA = "gateway_it";

  static final Path JAR = Path.of("../quota/target/quarkus-app/quarkus-run.jar");

  private static Process process;
  private static int port;

  /** False only when skipped on purpose with {@code -Dspillway.skip-quota-it=true}. */
  public static boolean available() {
    return !Boolean.getBoolean("spillway.skip-quota-it");
  }

  /** The quota function's base URL. */
  public static String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public Map<String, String> start() {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          "the quota function's jar "
              + JAR.toAbsolutePath().normalize()
              + " is missing: build it first (mvn install -pl functions/quota -am -DskipTests),"
              + " or skip the quota tests with -Dspillway.skip-quota-it=true");
    }
    port = freePort();
    start(true);
    return Map.of("gateway.quota.url", url(), "gateway.quota.service-key", SERVICE_KEY);
  }

  /** Starts (or restarts) the quota function and waits until it is ready. */
  public static void startProcess() {
    start(false);
  }

  private static synchronized void start(boolean clean) {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      Files.createDirectories(Path.of("target"));
      process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Dquarkus.profile=test",
                      "-Dquarkus.http.port=" + port,
                      // Revocation shows within a second in tests (production default: 30 s).
                      "-Dquota.key-cache=1s",
                      "-Dquarkus.flyway.schemas=" + SCHEMA,
                      "-Dquarkus.flyway.default-schema=" + SCHEMA,
                      "-Dquarkus.datasource.reactive.additional-properties.search_path=" + SCHEMA,
                      "-Dquarkus.flyway.clean-disabled=false",
                      "-Dquarkus.flyway.clean-at-start=" + clean,
                      "-jar",
                      JAR.toString()))
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      Path.of("target", "quota-function.log").toFile()))
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new IllegalStateException("could not start the quota function", e);
    }
    awaitReady();
  }

  /** Stops the quota function (as an outage would) and waits for the process to end. */
  public static synchronized void stopProcess() {
    if (process != null) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  private static void awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the quota function exited with "
                + process.exitValue()
                + ": see target/quota-function.log");
      }
      try {
        HttpResponse<Void> ready =
            client.send(
                HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("the quota function did not become ready in 90 s");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    stopProcess();
  }
}
