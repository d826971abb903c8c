package dev.spillway.gateway.resilience;

import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.resilience.Admission.Granted;
import dev.spillway.gateway.resilience.Admission.Reason;
import dev.spillway.gateway.resilience.Admission.Rejected;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.AbstractUni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniSubscriber;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Admission control for one upstream provider: an adaptive {@link ConcurrencyLimit} with a bounded
 * priority queue in front of it, shedding the least important work first when the queue fills.
 *
 * <p>Why a queue at all: a short burst above the limit is normal and is better absorbed by waiting
 * a moment than by failing. Why bounded, with deadlines: a queue that can grow without bound only
 * converts overload into latency until every request times out; a request that cannot start within
 * its deadline (or {@code maxQueueWait}) is better told so at once, with an honest {@code
 * Retry-After}, so that the client or the router can go elsewhere.
 *
 * <p>Order and shedding. Waiters are served interactive before standard before batch, first come
 * first served within a tier. Each tier may fill the queue only up to a share of {@code maxQueue}
 * (batch 50 %, standard 80 %, interactive 100 %), so the last places are kept for more urgent work.
 * When a request finds the queue full for its tier and a waiter of a lower tier is present, the
 * newest waiter of the lowest tier present is evicted ({@link Reason#SHED}) to make room — the
 * newest because it has waited least and loses least. Otherwise the newcomer is rejected with
 * {@link Reason#QUEUE_FULL}.
 *
 * <p>Retry-After. A rejection carries an estimate of when a retry could be admitted: the waiters
 * that would be ahead of a request of the same tier, plus one, divided by the measured completion
 * rate (an exponentially weighted moving average of permits released per second, time constant 10
 * s), rounded up to whole seconds and clamped to [1 s, 60 s]. Before any permit was released the
 * rate is unknown and the estimate is {@code maxQueueWait}: by then every current waiter has left
 * the queue, served or timed out.
 *
 * <p>Cancellation and leaks. Cancelling a subscription while it waits removes the waiter and its
 * timer; a cancellation that reaches the controller after the grant was decided releases the
 * permit, since the subscriber will never see it. One race cannot be closed at the source: when a
 * subscriber cancels on one thread while a grant travels down on another, an operator between them
 * that has already forwarded the grant no longer passes the cancellation up, and an operator
 * further down that was already cancelled drops the grant. So each permit also carries a safety
 * net: once it becomes unreachable unsettled, the garbage collector's {@link Cleaner} releases its
 * slot (without sampling the limit) and counts it in {@link #leaked()}. That also covers callers
 * that forget to settle.
 *
 * <p>Thread-safety. All state is guarded by the instance lock; permits may be settled and {@code
 * acquire} may be called from any thread. Waiters are completed and timers scheduled or cancelled
 * outside the lock, so downstream code never runs while it is held. The returned {@link Uni}
 * completes on the thread that freed the slot or fired the deadline timer (see {@link Scheduler}),
 * so a caller that must continue on its own Vert.x context should {@code emitOn} it.
 */
public final class AdmissionController {

  /** Pass as {@code deadlineNanos} when only {@code maxQueueWait} bounds the wait. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  /** Completion-rate EWMA time constant: smooths bursts, follows a slowdown within ~10 s. */
  private static final double RATE_TIME_CONSTANT_NANOS = 10e9;

  private static final PriorityTier[] TIERS = PriorityTier.values();

  /** One daemon thread for the whole JVM, reclaiming permits that were dropped unsettled. */
  private static final Cleaner LEAK_CLEANER = Cleaner.create();

  private enum State {
    /** Subscribed, not yet admitted. */
    NEW,
    QUEUED,
    /** Granted or rejected: its admission is decided. */
    DONE,
    /** The subscriber cancelled before an admission was decided. */
    CANCELLED
  }

  /** One subscription to {@link #acquire}; mutable fields guarded by the controller's lock. */
  private static final class Waiter {
    final PriorityTier tier;
    final long deadlineNanos;
    final UniSubscriber<? super Admission> subscriber;
    State state = State.NEW;
    Cancellable timer;
    Permit permit;

    Waiter(PriorityTier tier, long deadlineNanos, UniSubscriber<? super Admission> subscriber) {
      this.tier = tier;
      this.deadlineNanos = deadlineNanos;
      this.subscriber = subscriber;
    }
  }

  /**
   * The {@link Uni} that {@link #acquire} returns. It is a source of its own rather than an emitter
   * with an {@code onCancellation} hook because it must hear a cancellation even after it has
   * decided (or sent) a grant: Mutiny operators stop passing a cancellation upstream once they have
   * forwarded an item, so a cancellation that reaches the source at all means the subscriber will
   * never see the grant, and its permit must be released here.
   */
  private final class Acquisition extends AbstractUni<Admission> {
    private final PriorityTier tier;
    private final long deadlineNanos;

    Acquisition(PriorityTier tier, long deadlineNanos) {
      this.tier = tier;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void subscribe(UniSubscriber<? super Admission> subscriber) {
      Waiter waiter = new Waiter(tier, deadlineNanos, subscriber);
      subscriber.onSubscribe(() -> cancel(waiter));
      admit(waiter);
    }
  }

  /** An admission decided under the lock, to be delivered (and its timer cancelled) after it. */
  private record Delivery(Waiter waiter, Admission admission, Cancellable timer) {}

  private final String provider;
  private final ConcurrencyLimit limit;
  private final int maxQueue;
  private final long maxQueueWaitNanos;
  private final Scheduler scheduler;
  private final int[] tierCapacity;

  // Guarded by this.
  private final List<ArrayDeque<Waiter>> queues;
  private int inFlight;
  private int queued;
  private final long[] shedByTier = new long[TIERS.length];
  private final long[] rejectedByReason = new long[Reason.values().length];
  private long leaked;
  private final long startNanos;
  private long lastReleaseNanos;
  private double decayedReleases;

  /**
   * @param provider the upstream's configured name (a bounded metric label)
   * @param limit the adaptive concurrency limit this controller enforces and feeds
   * @param maxQueue how many requests may wait at most, ≥ 0 (0: no queue, reject at once)
   * @param maxQueueWait the longest any request waits, whatever its own deadline; positive
   * @param scheduler the clock for deadlines and the timers that enforce them
   */
  public AdmissionController(
      String provider,
      ConcurrencyLimit limit,
      int maxQueue,
      Duration maxQueueWait,
      Scheduler scheduler) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(maxQueueWait, "maxQueueWait");
    if (maxQueue < 0) {
      throw new IllegalArgumentException("maxQueue must be >= 0: " + maxQueue);
    }
    if (maxQueueWait.isNegative() || maxQueueWait.isZero()) {
      throw new IllegalArgumentException("maxQueueWait must be positive: " + maxQueueWait);
    }
    this.maxQueue = maxQueue;
    this.maxQueueWaitNanos = maxQueueWait.toNanos();
    this.tierCapacity = new int[TIERS.length];
    this.queues = new ArrayList<>(TIERS.length);
    for (PriorityTier tier : TIERS) {
      tierCapacity[tier.ordinal()] = (int) Math.floor(maxQueue * queueShare(tier));
      queues.add(new ArrayDeque<>());
    }
    this.startNanos = scheduler.nanoTime();
    this.lastReleaseNanos = startNanos;
  }

  /** The share of {@code maxQueue} that a tier may fill: the rest is kept for higher tiers. */
  static double queueShare(PriorityTier tier) {
    return switch (tier) {
      case INTERACTIVE -> 1.0;
      case STANDARD -> 0.8;
      case BATCH -> 0.5;
    };
  }

  /**
   * Asks for a slot with this upstream. Nothing happens until the returned {@link Uni} is
   * subscribed; each subscription is a separate request for a slot.
   *
   * <p>The {@code Uni} completes at once with {@link Granted} while fewer than {@link #limit()}
   * requests are in flight. Otherwise the request waits in the queue until a permit is released
   * (then {@code Granted}), until {@code deadlineNanos} or {@code maxQueueWait} passes ({@link
   * Reason#QUEUE_TIMEOUT}), or until it is shed for a more urgent request ({@link Reason#SHED}); or
   * it is rejected at once when there is no room ({@link Reason#QUEUE_FULL}, or {@code
   * QUEUE_TIMEOUT} if its deadline has already passed). It never fails.
   *
   * <p>Cancelling the subscription while waiting removes the waiter. A cancellation that reaches
   * the controller after the grant was decided releases the permit, on the ground that the
   * subscriber will not see it; Mutiny's operators and subscribers never pass a cancellation up
   * once they have received the item, so a hand-written subscriber must not either.
   *
   * @param tier how urgent the request is
   * @param deadlineNanos when the request stops being worth starting, on {@link
   *     Scheduler#nanoTime()}'s timeline, or {@link #NO_DEADLINE}
   */
  public Uni<Admission> acquire(PriorityTier tier, long deadlineNanos) {
    Objects.requireNonNull(tier, "tier");
    return new Acquisition(tier, deadlineNanos);
  }

  private void admit(Waiter waiter) {
    List<Delivery> deliveries = new ArrayList<>(2);
    long waitNanos = 0;
    boolean enqueued = false;
    synchronized (this) {
      if (waiter.state == State.CANCELLED) {
        return;
      }
      long now = scheduler.nanoTime();
      // Normally a no-op (releases drain the queue), but a limit may also grow by itself.
      drainLocked(now, deliveries);
      if (inFlight < limit.limit()) {
        deliveries.add(new Delivery(waiter, grantLocked(waiter, now), null));
      } else {
        waitNanos = maxWaitNanos(waiter.deadlineNanos, now);
        PriorityTier tier = waiter.tier;
        if (waitNanos <= 0) {
          deliveries.add(
              new Delivery(waiter, rejectLocked(waiter, Reason.QUEUE_TIMEOUT, now), null));
        } else if (queued < tierCapacity[tier.ordinal()]) {
          enqueueLocked(waiter);
          enqueued = true;
        } else {
          Waiter victim = pollNewestBelowLocked(tier);
          if (victim == null) {
            deliveries.add(
                new Delivery(waiter, rejectLocked(waiter, Reason.QUEUE_FULL, now), null));
          } else {
            enqueueLocked(waiter);
            enqueued = true;
            shedByTier[victim.tier.ordinal()]++;
            Cancellable victimTimer = victim.timer;
            victim.timer = null;
            deliveries.add(
                new Delivery(victim, rejectLocked(victim, Reason.SHED, now), victimTimer));
          }
        }
      }
    }
    if (enqueued) {
      armTimer(waiter, waitNanos);
    }
    deliver(deliveries);
  }

  /** Schedules the waiter's deadline outside the lock, then attaches it if still needed. */
  private void armTimer(Waiter waiter, long waitNanos) {
    Cancellable timer = scheduler.schedule(Duration.ofNanos(waitNanos), () -> expire(waiter));
    synchronized (this) {
      if (waiter.state == State.QUEUED) {
        waiter.timer = timer;
        return;
      }
    }
    timer.cancel();
  }

  private void expire(Waiter waiter) {
    Delivery delivery;
    synchronized (this) {
      if (waiter.state != State.QUEUED) {
        return;
      }
      removeLocked(waiter);
      waiter.timer = null;
      delivery =
          new Delivery(
              waiter, rejectLocked(waiter, Reason.QUEUE_TIMEOUT, scheduler.nanoTime()), null);
    }
    deliver(List.of(delivery));
  }

  private void cancel(Waiter waiter) {
    Cancellable timer = null;
    Permit undelivered = null;
    synchronized (this) {
      switch (waiter.state) {
        case NEW -> waiter.state = State.CANCELLED;
        case QUEUED -> {
          removeLocked(waiter);
          waiter.state = State.CANCELLED;
          timer = waiter.timer;
          waiter.timer = null;
        }
        // Decided already: a cancellation that got here means the grant will not be seen.
        case DONE -> undelivered = waiter.permit;
        case CANCELLED -> {}
      }
    }
    if (timer != null) {
      timer.cancel();
    }
    if (undelivered != null) {
      undelivered.ignore();
    }
  }

  private void reclaim(Slot slot) {
    synchronized (this) {
      leaked++;
    }
    release(slot, 0, false, false);
  }

  private void release(Slot slot, long rttNanos, boolean dropped, boolean sample) {
    List<Delivery> deliveries = new ArrayList<>(1);
    synchronized (this) {
      long now = scheduler.nanoTime();
      inFlight--;
      decayedReleases = decayedReleases * decay(now - lastReleaseNanos) + 1;
      lastReleaseNanos = now;
      if (sample) {
        limit.onSample(rttNanos, slot.inFlightAtGrant, dropped);
      }
      drainLocked(now, deliveries);
    }
    deliver(deliveries);
  }

  /** Hands free slots to the best waiters. */
  private void drainLocked(long now, List<Delivery> deliveries) {
    while (queued > 0 && inFlight < limit.limit()) {
      Waiter waiter = pollBestLocked();
      Cancellable timer = waiter.timer;
      waiter.timer = null;
      deliveries.add(new Delivery(waiter, grantLocked(waiter, now), timer));
    }
  }

  private Granted grantLocked(Waiter waiter, long now) {
    inFlight++;
    SlotPermit permit = new SlotPermit(inFlight, now);
    waiter.state = State.DONE;
    waiter.permit = permit;
    return new Granted(permit);
  }

  private Rejected rejectLocked(Waiter waiter, Reason reason, long now) {
    waiter.state = State.DONE;
    rejectedByReason[reason.ordinal()]++;
    return new Rejected(reason, retryAfterLocked(waiter.tier, now));
  }

  private void enqueueLocked(Waiter waiter) {
    queues.get(waiter.tier.ordinal()).addLast(waiter);
    waiter.state = State.QUEUED;
    queued++;
  }

  private void removeLocked(Waiter waiter) {
    if (queues.get(waiter.tier.ordinal()).remove(waiter)) {
      queued--;
    }
  }

  private Waiter pollBestLocked() {
    for (ArrayDeque<Waiter> queue : queues) {
      Waiter waiter = queue.pollFirst();
      if (waiter != null) {
        queued--;
        return waiter;
      }
    }
    throw new IllegalStateException("queued=" + queued + " but every tier is empty");
  }

  /** The newest waiter of the lowest tier present below {@code tier}, removed; or null. */
  private Waiter pollNewestBelowLocked(PriorityTier tier) {
    for (int t = TIERS.length - 1; t > tier.ordinal(); t--) {
      Waiter waiter = queues.get(t).pollLast();
      if (waiter != null) {
        queued--;
        return waiter;
      }
    }
    return null;
  }

  private long maxWaitNanos(long deadlineNanos, long now) {
    if (deadlineNanos == NO_DEADLINE) {
      return maxQueueWaitNanos;
    }
    return Math.min(maxQueueWaitNanos, deadlineNanos - now);
  }

  /** See the class comment: waiters ahead plus one, over the release rate, in [1 s, 60 s]. */
  private Duration retryAfterLocked(PriorityTier tier, long now) {
    int ahead = 0;
    for (int t = 0; t <= tier.ordinal(); t++) {
      ahead += queues.get(t).size();
    }
    double rate = releaseRateLocked(now);
    double seconds = rate > 0 ? (ahead + 1) / rate : maxQueueWaitNanos / 1e9;
    // The epsilon keeps 3.0000000001 s (float noise) from becoming 4 s.
    double whole = Math.ceil(seconds - 1e-9);
    long clamped =
        (long)
            Math.max(MIN_RETRY_AFTER.getSeconds(), Math.min(MAX_RETRY_AFTER.getSeconds(), whole));
    return Duration.ofSeconds(clamped);
  }

  /**
   * Releases per second, as a bias-corrected EWMA: the decayed count of releases over the decayed
   * length of time observed, so the estimate is right from the first seconds rather than creeping
   * up from zero over several time constants.
   */
  private double releaseRateLocked(long now) {
    if (decayedReleases == 0) {
      return 0;
    }
    double releases = decayedReleases * decay(now - lastReleaseNanos);
    double elapsed = Math.max(now - startNanos, 1_000_000L);
    double observedNanos =
        -RATE_TIME_CONSTANT_NANOS * Math.expm1(-elapsed / RATE_TIME_CONSTANT_NANOS);
    return releases / (observedNanos / 1e9);
  }

  private static double decay(long elapsedNanos) {
    return Math.exp(-Math.max(0, elapsedNanos) / RATE_TIME_CONSTANT_NANOS);
  }

  /**
   * Completes waiters outside the lock. A subscriber that throws must not keep the others from
   * their admissions, nor make settling a permit fail, so its exception goes to Mutiny's handler
   * for dropped exceptions.
   */
  private static void deliver(List<Delivery> deliveries) {
    for (Delivery delivery : deliveries) {
      try {
        if (delivery.timer() != null) {
          delivery.timer().cancel();
        }
        delivery.waiter().subscriber.onItem(delivery.admission());
      } catch (RuntimeException e) {
        Infrastructure.handleDroppedException(e);
      }
    }
  }

  /** The upstream provider this controller guards. */
  public String provider() {
    return provider;
  }

  /**
   * How many requests may wait at most (the queue's capacity, for a gauge beside {@link
   * #queued()}).
   */
  public int maxQueue() {
    return maxQueue;
  }

  /** Requests holding a permit now (a gauge). */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Requests waiting in the queue now (a gauge). */
  public synchronized int queued() {
    return queued;
  }

  /** The concurrency limit now (a gauge). */
  public int limit() {
    return limit.limit();
  }

  /** Waiters of {@code tier} evicted for more urgent requests since creation (a counter). */
  public synchronized long shed(PriorityTier tier) {
    return shedByTier[tier.ordinal()];
  }

  /** Rejections for {@code reason} since creation (a counter). */
  public synchronized long rejected(Reason reason) {
    return rejectedByReason[reason.ordinal()];
  }

  /**
   * Permits that became unreachable without being settled, whose slots were then reclaimed (a
   * counter). Anything but 0 means a caller lost a permit, or Mutiny dropped a grant that raced
   * with a cancellation; see the class comment.
   */
  public synchronized long leaked() {
    return leaked;
  }

  @Override
  public String toString() {
    return "AdmissionController[" + provider + "]";
  }

  /** The settle-once state of one permit, shared by the permit and its leak reclaimer. */
  private static final class Slot {
    final AtomicBoolean settled = new AtomicBoolean();
    final int inFlightAtGrant;
    final long grantedAtNanos;

    Slot(int inFlightAtGrant, long grantedAtNanos) {
      this.inFlightAtGrant = inFlightAtGrant;
      this.grantedAtNanos = grantedAtNanos;
    }
  }

  /**
   * Runs when a permit became unreachable: releases its slot unless it was settled. It must not
   * refer to the permit itself, or the permit would never become unreachable.
   */
  private record Reclaim(AdmissionController controller, Slot slot) implements Runnable {
    @Override
    public void run() {
      if (slot.settled.compareAndSet(false, true)) {
        controller.reclaim(slot);
      }
    }
  }

  private final class SlotPermit implements Permit {
    private final Slot slot;
    private final Cleaner.Cleanable reclaim;

    SlotPermit(int inFlightAtGrant, long grantedAtNanos) {
      this.slot = new Slot(inFlightAtGrant, grantedAtNanos);
      this.reclaim = LEAK_CLEANER.register(this, new Reclaim(AdmissionController.this, slot));
    }

    @Override
    public void success(long rttNanos) {
      if (slot.settled.compareAndSet(false, true)) {
        settle(Math.max(0, rttNanos), false, true);
      }
    }

    @Override
    public void dropped() {
      if (slot.settled.compareAndSet(false, true)) {
        settle(Math.max(0, scheduler.nanoTime() - slot.grantedAtNanos), true, true);
      }
    }

    @Override
    public void ignore() {
      if (slot.settled.compareAndSet(false, true)) {
        settle(0, false, false);
      }
    }

    private void settle(long rttNanos, boolean dropped, boolean sample) {
      try {
        release(slot, rttNanos, dropped, sample);
      } finally {
        // Deregisters the reclaimer; its action finds the slot settled and does nothing.
        reclaim.clean();
      }
    }
  }
}
