package dev.spillway.simulator;

import dev.spillway.simulator.server.ListenerControl;
import dev.spillway.simulator.server.SimulatorRuntime;
import dev.spillway.simulator.server.SimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running upstream LLM simulator: OpenAI Chat Completions and Anthropic Messages endpoints with
 * configurable latency and injectable faults.
 *
 * <p>Start one per test class (or per test) with {@link #start(SimulatorOptions)} and close it when
 * done:
 *
 * <pre>{@code
 * try (UpstreamSimulator upstream = UpstreamSimulator.start(SimulatorOptions.defaults())) {
 *   String url = upstream.baseUrl() + "/v1/chat/completions";
 * }
 * }</pre>
 *
 * Thread-safe. The blocking methods ({@link #start}, {@link #refuseConnections}, {@link #close})
 * must not be called from one of the simulator's own event loops.
 */
public final class UpstreamSimulator implements AutoCloseable {

  private static final long BLOCKING_TIMEOUT_SECONDS = 30;
  private static final System.Logger LOG = System.getLogger(UpstreamSimulator.class.getName());

  private final Vertx vertx;
  private final SimulatorRuntime runtime;
  private final List<SimulatorVerticle> verticles = new CopyOnWriteArrayList<>();
  private final AtomicBoolean refusing = new AtomicBoolean();
  private volatile int port;

  private UpstreamSimulator(SimulatorOptions options) {
    this.runtime = new SimulatorRuntime(options);
    // File caching would create a .vertx folder in the working directory; nothing here reads files.
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(options.eventLoops())
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
  }

  /**
   * Starts a simulator and returns once it is listening.
   *
   * @throws IllegalStateException if it cannot listen (port taken, say) or does not start within 30
   *     seconds
   */
  public static UpstreamSimulator start(SimulatorOptions options) {
    UpstreamSimulator simulator = new UpstreamSimulator(options);
    try {
      simulator.port = await(simulator.deploy(options.port()), "start");
    } catch (RuntimeException e) {
      simulator.close();
      throw e;
    }
    return simulator;
  }

  /** The port it listens on (the chosen one when started with port 0). */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>} when bound to all interfaces, else the bound host. */
  public String baseUrl() {
    String host = runtime.options().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = "127.0.0.1";
    }
    return "http://" + host + ":" + port;
  }

  /** The options it was started with. */
  public SimulatorOptions options() {
    return runtime.options();
  }

  /** A snapshot of its counters. */
  public SimulatorStats stats() {
    return runtime.stats().snapshot();
  }

  /** The fault rates in force. */
  public FaultRates faultRates() {
    return runtime.faultRates();
  }

  /** Replaces the fault rates applied to requests that name no fault of their own. */
  public void faultRates(FaultRates rates) {
    runtime.faultRates(rates);
  }

  /**
   * Stops listening and closes every open connection for {@code duration}, so clients get
   * connection refused; listening resumes by itself. Returns once the port is closed.
   */
  public void refuseConnections(Duration duration) {
    await(refuse(duration), "refuse connections");
  }

  /** Clears fault rates and counters and restarts the request sequence, as a fresh start would. */
  public void reset() {
    runtime.reset();
  }

  /** Stops listening and releases its threads. Idempotent. */
  @Override
  public void close() {
    try {
      await(vertx.close(), "close");
    } catch (IllegalStateException e) {
      // Closing twice, or a close that outlives the timeout, leaves nothing for the caller to do.
    }
  }

  private Future<Integer> deploy(int requestedPort) {
    // Port 0 would give every instance its own random port; Vert.x shares a random port among
    // servers that ask for the same negative one, and this Vertx belongs to this simulator alone.
    int bindPort = requestedPort == 0 ? -1 : requestedPort;
    Future<Integer> chain = Future.succeededFuture(bindPort);
    for (int i = 0; i < runtime.options().eventLoops(); i++) {
      chain = chain.compose(ignored -> deployOne(bindPort));
    }
    return chain;
  }

  private Future<Integer> deployOne(int bindPort) {
    SimulatorVerticle verticle =
        new SimulatorVerticle(runtime, this::refuse, runtime.options().host(), bindPort);
    return vertx
        .deployVerticle(verticle)
        .map(
            id -> {
              verticles.add(verticle);
              return verticle.actualPort();
            });
  }

  /** {@link ListenerControl} for the admin API; see {@link #refuseConnections}. */
  private Future<Void> refuse(Duration duration) {
    if (!refusing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    List<Future<Void>> stopped = new ArrayList<>();
    for (SimulatorVerticle verticle : verticles) {
      stopped.add(verticle.stopListening());
    }
    Promise<Void> closed = Promise.promise();
    Future.join(stopped)
        .onComplete(
            done -> {
              // A crashed upstream drops the connections it had, not only the listening socket.
              for (HttpConnection connection : List.copyOf(runtime.connections())) {
                connection.close();
              }
              closed.complete();
              vertx.setTimer(Math.max(1, duration.toMillis()), timer -> listenAgain());
            });
    return closed.future();
  }

  private void listenAgain() {
    Future<Integer> chain = Future.succeededFuture(port);
    for (SimulatorVerticle verticle : verticles) {
      chain = chain.compose(ignored -> verticle.listenAgain(port));
    }
    chain.onComplete(
        relistened -> {
          refusing.set(false);
          if (relistened.failed()) {
            LOG.log(
                System.Logger.Level.ERROR,
                "could not listen again on port " + port,
                relistened.cause());
          }
        });
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(BLOCKING_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          what + " did not finish within " + BLOCKING_TIMEOUT_SECONDS + " s", e);
    }
  }
}
