package dev.spillway.gateway.resilience;

import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;

/**
 * A monotonic clock and one-shot timers, so that queue deadlines and hedge delays can be driven by
 * a manual clock in tests instead of real time.
 *
 * <p>Implementations are thread-safe: both methods may be called from any thread. A scheduled task
 * never runs inside {@link #schedule}; it runs later, on a thread the implementation chooses.
 */
public interface Scheduler {

  /**
   * The current time on a monotonic timeline, in nanoseconds, comparable only with other values
   * from the same scheduler (like {@link System#nanoTime()}).
   */
  long nanoTime();

  /**
   * Runs {@code task} once, no earlier than {@code delay} from now.
   *
   * @return a handle whose {@link Cancellable#cancel()} keeps the task from running if it has not
   *     started yet; cancelling twice or after the task ran is harmless
   */
  Cancellable schedule(Duration delay, Runnable task);
}
