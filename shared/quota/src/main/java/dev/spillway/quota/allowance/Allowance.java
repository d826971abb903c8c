package dev.spillway.quota.allowance;

import dev.spillway.quota.lease.LeaseGrant;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance's allowance for one budget (and client): the slice of the current window's budget it
 * may spend without asking the quota function.
 *
 * <h2>Hot path</h2>
 *
 * <p>{@link #tryReserve(long, long)} is one read of the lease state and one compare-and-set loop on
 * the window's cumulative use counter: {@code spent + amount <= granted} admits, where {@code
 * granted} is the cumulative allowance (what the instance had used in the window when it sent its
 * last renewal, plus what that renewal granted). Lock-free and allocation-light (one small object
 * per admission); safe from any thread.
 *
 * <h2>Renewal</h2>
 *
 * <p>A renewal round calls {@link #report(long)} when it sends, and {@link #apply(Report,
 * LeaseGrant)} or {@link #failed(Report)} when it ends; rounds for one allowance must not overlap
 * (the lease manager runs one at a time). Because the grant is added to the use at <em>send</em>
 * time, whatever was admitted while the renewal was in flight is subtracted from the new allowance
 * automatically, and reported with the next renewal. Times in a grant are durations measured from
 * the send time, so the instance can only stop early, never late.
 *
 * <h2>Windows</h2>
 *
 * <p>Use is counted per window: each window the instance has admitted in has its own counter, and a
 * reservation settles into the counter of the window it was admitted in. So a refund or an overdraw
 * of a request that was in flight across a boundary is reported against the window that admitted it
 * ({@link Report#previousUsed()}), never dropped and never charged to the next one. Only the window
 * before the current one is still reported; settlements older than that are lost (a request longer
 * than a whole window; the ledger then counts its reservation, the safe side).
 *
 * <p>When a renewal is sent shortly before a window's end, the quota function also grants the next
 * window ({@link LeaseGrant#next()}). At the window's end the allowance then moves to that grant by
 * itself, on the hot path, so that requests at a boundary never wait for a renewal. Without one,
 * reservations are refused with {@link Refusal.Reason#WINDOW_ENDED} until a grant for the new
 * window arrives.
 *
 * <h2>Validity</h2>
 *
 * <p>Past the lease's validity (send time + {@code validForMs}) without a successful renewal,
 * reservations are refused with {@link Refusal.Reason#EXPIRED}: the quota function may already have
 * handed this allowance to someone else, and the caller applies its unreachable policy.
 */
public final class Allowance {

  /** What the instance knows about the budget. */
  public enum Status {
    /** No grant yet: every reservation is refused with {@link Refusal.Reason#NO_LEASE}. */
    NO_LEASE,
    /** A grant is held. */
    LEASED,
    /**
     * The quota function knows no such budget ({@code unknown}): nothing limits it, until a later
     * renewal finds that the budget has been created.
     */
    UNLIMITED
  }

  /** The use of one window on this instance. */
  static final class Slot {
    /** The window's start on the quota function's clock (0: no window, or none yet). */
    final long window;

    /** Cumulative net use admitted in the window (settlements included). */
    final AtomicLong spent = new AtomicLong();

    /** The part of {@link #spent} already reported. Written by the renewal round only. */
    volatile long reported;

    Slot(long window) {
      this.window = window;
    }
  }

  /**
   * A grant for the window after the current one, used from the current one's end.
   *
   * @param granted cumulative allowance on {@code slot} (its use at the send time plus the grant)
   */
  private record Next(Slot slot, long granted, long windowEndNanos, long remaining) {}

  /**
   * What the instance knew at its last renewal. Immutable: replaced whole, so the hot path sees one
   * consistent version.
   *
   * @param previous the window before {@code slot}, still reported (late settlements), or null
   * @param next the prefetched grant for the following window, or null
   */
  private record State(
      Status status,
      Slot slot,
      Slot previous,
      long granted,
      long windowEndNanos,
      long validUntilNanos,
      long limit,
      long remaining,
      Next next) {

    /** The state the window after this one starts with, when a grant for it was prefetched. */
    State advanced() {
      return new State(
          status,
          next.slot,
          slot,
          next.granted,
          next.windowEndNanos,
          validUntilNanos,
          limit,
          next.remaining,
          null);
    }

    /** True when the window has ended and the next one's grant can be used at {@code nowNanos}. */
    boolean canAdvance(long nowNanos) {
      return next != null
          && windowEndNanos != NO_END
          && nowNanos - windowEndNanos >= 0
          && nowNanos - next.windowEndNanos < 0;
    }
  }

  private static final long NO_END = Long.MAX_VALUE;

  private final String name;
  private final LongAdder refused = new LongAdder();
  private final DemandEstimator demand;
  private final AtomicReference<State> state =
      new AtomicReference<>(
          new State(Status.NO_LEASE, new Slot(0), null, 0, NO_END, 0, -1, -1, null));

  /**
   * @param name what the allowance is for (resource and client), for logs and errors
   * @param demand its demand estimator (one per allowance)
   */
  public Allowance(String name, DemandEstimator demand) {
    this.name = name;
    this.demand = demand;
  }

  public String name() {
    return name;
  }

  /**
   * Reserves {@code amount}, all or nothing.
   *
   * @param amount how much, in the budget's unit; not negative
   * @param nowNanos the monotonic clock now ({@link System#nanoTime()}), read once per request by
   *     the caller so that a chain of budgets costs one clock read
   * @return a {@link Reservation} to settle or release exactly once, or a {@link Refusal}
   */
  public Decision tryReserve(long amount, long nowNanos) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative: " + amount);
    }
    for (; ; ) {
      State st = state.get();
      if (st.status != Status.LEASED) {
        if (st.status == Status.UNLIMITED) {
          return new Reservation(this, amount, null);
        }
        return refuse(Refusal.Reason.NO_LEASE, amount, 0, st, nowNanos);
      }
      if (nowNanos - st.validUntilNanos >= 0) {
        return refuse(Refusal.Reason.EXPIRED, amount, 0, st, nowNanos);
      }
      if (st.windowEndNanos != NO_END && nowNanos - st.windowEndNanos >= 0) {
        if (st.canAdvance(nowNanos)) {
          // The window ended and its successor was granted in advance: move to it (once; a racing
          // thread that lost the exchange sees the new state on its next pass).
          state.compareAndSet(st, st.advanced());
          continue;
        }
        return refuse(Refusal.Reason.WINDOW_ENDED, amount, 0, st, nowNanos);
      }
      AtomicLong spent = st.slot.spent;
      long s = spent.get();
      long next = s + amount;
      if (next > st.granted) {
        return refuse(Refusal.Reason.NO_ROOM, amount, st.granted - s, st, nowNanos);
      }
      if (spent.compareAndSet(s, next)) {
        State after = state.get();
        if (after == st) {
          return new Reservation(this, amount, st.slot);
        }
        // A renewal replaced the state between the check and the CAS: decide again against it.
        if (after.status == Status.LEASED && after.slot == st.slot && next <= after.granted) {
          return new Reservation(this, amount, st.slot);
        }
        spent.addAndGet(-amount);
      }
    }
  }

  /** {@link #tryReserve(long, long)} at {@link System#nanoTime()}. */
  public Decision tryReserve(long amount) {
    return tryReserve(amount, System.nanoTime());
  }

  private Refusal refuse(
      Refusal.Reason reason, long amount, long available, State st, long nowNanos) {
    refused.add(amount);
    long endsIn = st.windowEndNanos == NO_END ? -1 : Math.max(0, st.windowEndNanos - nowNanos);
    return new Refusal(reason, amount, available, st.remaining, endsIn);
  }

  void settle(Reservation reservation, long actual) {
    if (actual < 0) {
      throw new IllegalArgumentException("actual use must not be negative: " + actual);
    }
    Slot slot = reservation.slot();
    if (slot == null) {
      return; // admitted while the budget was unknown: nothing counts it
    }
    long delta = actual - reservation.amount();
    if (delta != 0) {
      // Into the window that admitted it, whichever window is current now.
      slot.spent.addAndGet(delta);
    }
  }

  /**
   * What a renewal reports, taken when it is sent.
   *
   * @param sentNanos when the renewal was sent (grant durations count from here)
   * @param spentMark the current window's cumulative use at that moment
   * @param window the window {@code used} belongs to (the last grant's; 0 when none)
   * @param used net use in {@code window} since the last successful report (may be negative:
   *     refunds)
   * @param previousWindow the window before it, or 0
   * @param previousUsed net use settled in {@code previousWindow} since its last report: refunds
   *     and overdraws of requests admitted there that ended after it
   */
  public record Report(
      Allowance allowance,
      long sentNanos,
      long spentMark,
      long window,
      long used,
      long previousWindow,
      long previousUsed,
      Slot slot,
      Slot previous,
      long previousMark,
      Slot next,
      long nextMark) {}

  /**
   * Snapshots net use for a renewal sent now, and samples demand. Called by the renewal round only.
   */
  public Report report(long nowNanos) {
    State st = state.get();
    if (st.canAdvance(nowNanos)) {
      // Report against the window the hot path is (or would be) in.
      state.compareAndSet(st, st.advanced());
      st = state.get();
    }
    Slot slot = st.slot;
    long mark = slot.spent.get();
    Slot previous = st.previous;
    long previousMark = previous == null ? 0 : previous.spent.get();
    Slot next = st.next == null ? null : st.next.slot;
    long nextMark = next == null ? 0 : next.spent.get();
    demand.observe(mark + previousMark + nextMark + refused.sum(), nowNanos);
    return new Report(
        this,
        nowNanos,
        mark,
        slot.window,
        mark - slot.reported,
        previous == null ? 0 : previous.window,
        previous == null ? 0 : previousMark - previous.reported,
        slot,
        previous,
        previousMark,
        next,
        nextMark);
  }

  /**
   * Applies what the quota function granted for {@code report}: the new allowance counts from the
   * report's send time, the report's use is acknowledged, and a new window gets a counter of its
   * own.
   */
  public void apply(Report report, LeaseGrant grant) {
    report.slot.reported = report.spentMark;
    if (report.previous != null) {
      report.previous.reported = report.previousMark;
    }
    long sent = report.sentNanos;
    if (LeaseGrant.UNKNOWN.equals(grant.status())) {
      state.set(
          new State(Status.UNLIMITED, report.slot, null, 0, NO_END, Long.MAX_VALUE, -1, -1, null));
      return;
    }
    {
      Slot slot;
      long mark;
      Slot previous;
      if (grant.window() == report.slot.window) {
        slot = report.slot;
        mark = report.spentMark;
        previous = report.previous;
      } else if (report.next != null && grant.window() == report.next.window) {
        slot = report.next;
        mark = report.nextMark;
        previous = report.slot;
      } else {
        slot = new Slot(grant.window());
        mark = 0;
        previous = report.slot.window == 0 ? null : report.slot;
      }
      Next prefetched = null;
      LeaseGrant.Next ahead = grant.next();
      if (ahead != null && ahead.window() != slot.window) {
        Slot nextSlot =
            report.next != null && report.next.window == ahead.window()
                ? report.next
                : new Slot(ahead.window());
        long nextMark = nextSlot == report.next ? report.nextMark : 0;
        prefetched =
            new Next(
                nextSlot,
                nextMark + Math.max(0, ahead.allowance()),
                sent + Math.max(0, ahead.windowEndsInMs()) * 1_000_000L,
                ahead.remaining());
      }
      State granted =
          new State(
              Status.LEASED,
              slot,
              previous,
              mark + Math.max(0, grant.allowance()),
              grant.windowEndsInMs() < 0 ? NO_END : sent + grant.windowEndsInMs() * 1_000_000L,
              sent + Math.max(0, grant.validForMs()) * 1_000_000L,
              grant.limit(),
              grant.remaining(),
              prefetched);
      for (; ; ) {
        State latest = state.get();
        State chosen = granted;
        if (latest.status == Status.LEASED && granted.slot.window < latest.slot.window) {
          // The hot path moved to a prefetched window while this renewal was in flight: a grant
          // for the ended window must not take it back; its grant for the new window, if any, is
          // the fresher one.
          chosen =
              granted.next != null && granted.next.slot == latest.slot
                  ? granted.advanced()
                  : latest;
        }
        if (chosen == latest || state.compareAndSet(latest, chosen)) {
          return;
        }
      }
    }
  }

  /**
   * The renewal failed: nothing changes, and the use of {@code report} is reported again next time
   * (a report lost after the quota function counted it is counted twice: the safe direction).
   */
  public void failed(Report report) {
    // Deliberately nothing: the state (and what is reported next) stays as it was.
  }

  /** The state as the hot path sees it at {@code nowNanos} (moved to a prefetched window). */
  private State at(long nowNanos) {
    State st = state.get();
    return st.canAdvance(nowNanos) ? st.advanced() : st;
  }

  /** The budget's status as of the last renewal. */
  public Status status() {
    return state.get().status;
  }

  /**
   * What the instance may still admit in the window of its last grant (may be negative after an
   * overdraw); {@link #available(long)} also counts a prefetched next window once it has begun.
   */
  public long available() {
    State st = state.get();
    return st.status == Status.LEASED ? st.granted - st.slot.spent.get() : 0;
  }

  /** What the instance may still admit at {@code nowNanos} (may be negative after an overdraw). */
  public long available(long nowNanos) {
    State st = at(nowNanos);
    return st.status == Status.LEASED ? st.granted - st.slot.spent.get() : 0;
  }

  /** The budget's limit per window, or -1 when unknown. */
  public long limit() {
    return state.get().limit;
  }

  /** The budget's unleased headroom at the last renewal, or -1 when unknown. */
  public long budgetRemaining() {
    return state.get().remaining;
  }

  /**
   * What a client may still use as far as this instance knows: its own allowance left plus the
   * budget's unleased headroom; what {@code x-ratelimit-remaining-*} reports.
   */
  public long remaining(long nowNanos) {
    State st = at(nowNanos);
    if (st.status != Status.LEASED) {
      return -1;
    }
    return Math.max(0, st.granted - st.slot.spent.get()) + Math.max(0, st.remaining);
  }

  /** Time until the current window ends, or -1 when there is none. */
  public long windowEndsInNanos(long nowNanos) {
    State st = at(nowNanos);
    return st.windowEndNanos == NO_END ? -1 : Math.max(0, st.windowEndNanos - nowNanos);
  }

  /**
   * True when the lease is held, its window has ended and no grant for the next one is at hand (a
   * renewal is due).
   */
  public boolean windowEnded(long nowNanos) {
    State st = at(nowNanos);
    return st.status == Status.LEASED
        && st.windowEndNanos != NO_END
        && nowNanos - st.windowEndNanos >= 0;
  }

  /** When the lease stops being usable without renewal (monotonic nanos); 0 without a lease. */
  public long validUntilNanos() {
    return state.get().validUntilNanos;
  }

  /** The window of the last grant (epoch milliseconds on the quota function's clock), or 0. */
  public long window() {
    return state.get().slot.window;
  }

  /** Net use not yet reported, in the current window and the one before. */
  public long unreported() {
    State st = state.get();
    long current = st.slot.spent.get() - st.slot.reported;
    Slot previous = st.previous;
    return current + (previous == null ? 0 : previous.spent.get() - previous.reported);
  }

  /** The demand estimator (for the renewal round's {@code want}). */
  public DemandEstimator demand() {
    return demand;
  }

  /**
   * True when the allowance would run dry within {@code horizon} at the estimated demand: a renewal
   * should be sent now rather than when requests start being refused.
   */
  public boolean runningLow(Duration horizon) {
    return state.get().status == Status.LEASED && available() < demand.expectedOver(horizon);
  }

  /** The cumulative allowance of the current window: its use may reach it. For tests. */
  long granted() {
    return state.get().granted;
  }

  /**
   * Cumulative net use of the current window (in flight for {@code concurrent-requests}); for tests
   * and metrics.
   */
  public long spent() {
    return state.get().slot.spent.get();
  }

  @Override
  public String toString() {
    State st = state.get();
    return "Allowance["
        + name
        + " "
        + st.status
        + " spent="
        + st.slot.spent.get()
        + " granted="
        + st.granted
        + "]";
  }
}
