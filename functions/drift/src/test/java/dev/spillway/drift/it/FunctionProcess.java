package dev.spillway.drift.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Another Spillway function run as a real process for the drift function's tests: its runnable jar
 * (built earlier in the reactor), the given system properties, a free port, its log in {@code
 * target/<name>.log}. Fails with the command to build the jar when it is missing, rather than skip:
 * a test that silently does not run proves nothing.
 */
final class FunctionProcess {

  private final String name;
  private final Path jar;
  private final List<String> properties;
  private Process process;
  private int port;

  FunctionProcess(String name, Path jar, List<String> properties) {
    this.name = name;
    this.jar = jar;
    this.properties = properties;
  }

  synchronized String start() {
    if (process != null && process.isAlive()) {
      return url();
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the "
              + name
              + " function's jar "
              + jar.toAbsolutePath().normalize()
              + " is missing: build it first (mvn install -pl functions/"
              + name
              + " -am -DskipTests)");
    }
    port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dquarkus.http.port=" + port);
    command.addAll(properties);
    command.add("-jar");
    command.add(jar.toString());
    try {
      Files.createDirectories(Path.of("target"));
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(Path.of("target", name + ".log").toFile()))
              .start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new IllegalStateException("could not start the " + name + " function", e);
    }
    awaitReady();
    return url();
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  synchronized void stop() {
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

  private void awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the "
                + name
                + " function exited with "
                + process.exitValue()
                + ": see target/"
                + name
                + ".log");
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
    throw new IllegalStateException("the " + name + " function did not become ready in 120 s");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
