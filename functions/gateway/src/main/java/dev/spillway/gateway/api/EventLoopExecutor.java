package dev.spillway.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * Runs tasks on the event loop that handles a request: at once when already on it (the common case:
 * upstream callbacks and timers of a request arrive there), else queued onto it. This is what lets
 * a request's dispatch and relay keep their state without locks.
 */
final class EventLoopExecutor implements Executor {

  private final Context context;
  private final Thread thread;

  private EventLoopExecutor(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  /** The executor of the calling event loop; must be called on it. */
  static EventLoopExecutor current(Vertx vertx) {
    return new EventLoopExecutor(vertx.getOrCreateContext(), Thread.currentThread());
  }

  @Override
  public void execute(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
    } else {
      context.runOnContext(ignored -> task.run());
    }
  }
}
