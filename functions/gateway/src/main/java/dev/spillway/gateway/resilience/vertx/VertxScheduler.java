package dev.spillway.gateway.resilience.vertx;

import dev.spillway.gateway.resilience.Scheduler;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Scheduler} on Vert.x timers, so that deadlines fire on an event loop without a thread of
 * their own.
 *
 * <p>A task scheduled from a Vert.x context (an event-loop thread) runs later on that same context,
 * so it needs no hand-off back to the request's thread; one scheduled from elsewhere runs on an
 * event loop Vert.x picks. Vert.x timers have millisecond resolution and refuse delays under 1 ms,
 * so a delay is rounded up to whole milliseconds and anything shorter than 1 ms runs as 1 ms: a
 * timer fires late rather than early.
 *
 * <p>Thread-safe: {@link Vertx#setTimer} and {@link Vertx#cancelTimer} may be called from any
 * thread.
 */
public final class VertxScheduler implements Scheduler {

  private static final long NANOS_PER_MILLI = 1_000_000L;

  private final Vertx vertx;

  public VertxScheduler(Vertx vertx) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
  }

  /** {@link System#nanoTime()}, the clock Vert.x timers run on. */
  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    long id = vertx.setTimer(delayMillis(delay), ignored -> task.run());
    return () -> vertx.cancelTimer(id);
  }

  /** Whole milliseconds, rounded up, at least 1 (Vert.x rejects shorter timers). */
  static long delayMillis(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      return 1;
    }
    long nanos;
    try {
      nanos = delay.toNanos();
    } catch (ArithmeticException tooLong) {
      return delay.toMillis();
    }
    long millis = nanos / NANOS_PER_MILLI + (nanos % NANOS_PER_MILLI == 0 ? 0 : 1);
    return Math.max(1, millis);
  }
}
