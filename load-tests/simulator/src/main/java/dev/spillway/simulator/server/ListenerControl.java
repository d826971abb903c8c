package dev.spillway.simulator.server;

import io.vertx.core.Future;
import java.time.Duration;

/** Control over the simulator's listening sockets, for the admin API's connection refusal. */
public interface ListenerControl {

  /**
   * Stops listening and closes every open connection, then listens again on the same port after
   * {@code duration}. The future completes once the port is closed, not when it reopens. Calls made
   * while already refusing are ignored. Thread-safe; never blocks.
   */
  Future<Void> refuseConnections(Duration duration);
}
