package dev.spillway.gateway.resilience;

import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} whose clock moves only when a test calls {@link #advance}, so that timeouts
 * are tested without real sleeps.
 *
 * <p>Thread-safe, so that code under test may schedule and cancel from other threads; tasks run on
 * the thread that calls {@link #advance}, outside the lock.
 */
public final class ManualScheduler implements Scheduler {

  private record Task(long dueNanos, long sequence, Runnable action) {}

  // Due time first, then scheduling order, so equal deadlines run first-scheduled first.
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) ->
              a.dueNanos() != b.dueNanos()
                  ? Long.compare(a.dueNanos(), b.dueNanos())
                  : Long.compare(a.sequence(), b.sequence()));
  private long now;
  private long sequence;

  /** Starts at an arbitrary non-zero time, so code that assumes a clock starting at 0 shows up. */
  public ManualScheduler() {
    this(1_000_000_000_000L);
  }

  public ManualScheduler(long startNanos) {
    this.now = startNanos;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task scheduled = new Task(now + Math.max(0, delay.toNanos()), sequence++, task);
    tasks.add(scheduled);
    return () -> {
      synchronized (this) {
        tasks.remove(scheduled);
      }
    };
  }

  /**
   * Moves the clock forward by {@code duration}, running every task that falls due on the way in
   * time order, with the clock set to each task's due time while it runs. Tasks those tasks
   * schedule run too if they fall due before the end.
   */
  public void advance(Duration duration) {
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        if (tasks.isEmpty() || tasks.peek().dueNanos() > target) {
          now = target;
          return;
        }
        next = tasks.poll();
        now = Math.max(now, next.dueNanos());
      }
      next.action().run();
    }
  }

  /** Tasks scheduled and neither run nor cancelled yet. */
  public synchronized int pending() {
    return tasks.size();
  }
}
