package dev.spillway.quota.allowance;

import dev.spillway.quota.lease.LeaseGrant;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance's allowance for one budget (and client): the slice of the current window's budget it
 * may spend without asking the quota function.
 *
 * <h2>Hot path</h2>
 *
 * <p>{@link #tryReserve(long, long)} is one volatile read of the lease state and one
 * compare-and-set loop on a cumulative use counter: {@code spent + amount <= granted} admits, where
 * {@code granted} is the cumulative allowance (what the instance had used when it sent its last
 * renewal, plus what that renewal granted). Lock-free and allocation-light (one small object per
 * admission); safe from any thread.
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
 * <p>When the local clock passes the window's end (send time + {@code windowEndsInMs}), the
 * allowance lapses: reservations are refused with {@link Refusal.Reason#WINDOW_ENDED} until a grant
 * for the new window arrives. Use not yet reported is reported against the old window (the claim's
 * {@code window}). A settlement of a reservation taken in an ended window charges any overdraw to
 * the current window but drops a refund: the old window is closed, and the error is on the safe
 * side (its ledger counts a little more than was used).
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
    /** The quota function knows no such budget ({@code unknown}): nothing limits it. */
    UNLIMITED
  }

  /**
   * What the instance knew at its last renewal. Immutable: replaced whole by a renewal, so the hot
   * path sees one consistent version.
   */
  private record State(
      Status status,
      long granted,
      long reportedSpent,
      long epoch,
      long window,
      long windowEndNanos,
      long validUntilNanos,
      long limit,
      long remaining) {}

  private static final long NO_END = Long.MAX_VALUE;
  private static final long UNLIMITED_EPOCH = -1;

  private final String name;
  private final AtomicLong spent = new AtomicLong();
  private final LongAdder refused = new LongAdder();
  private final DemandEstimator demand;
  private volatile State state = new State(Status.NO_LEASE, 0, 0, 0, 0, NO_END, 0, -1, -1);

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
      State st = state;
      if (st.status != Status.LEASED) {
        if (st.status == Status.UNLIMITED) {
          return new Reservation(this, amount, UNLIMITED_EPOCH);
        }
        return refuse(Refusal.Reason.NO_LEASE, amount, 0, st, nowNanos);
      }
      if (nowNanos - st.validUntilNanos >= 0) {
        return refuse(Refusal.Reason.EXPIRED, amount, 0, st, nowNanos);
      }
      if (st.windowEndNanos != NO_END && nowNanos - st.windowEndNanos >= 0) {
        return refuse(Refusal.Reason.WINDOW_ENDED, amount, 0, st, nowNanos);
      }
      long s = spent.get();
      long next = s + amount;
      if (next > st.granted) {
        return refuse(Refusal.Reason.NO_ROOM, amount, st.granted - s, st, nowNanos);
      }
      if (spent.compareAndSet(s, next)) {
        State after = state;
        if (after == st) {
          return new Reservation(this, amount, st.epoch);
        }
        // A renewal replaced the state between the check and the CAS: decide again against it.
        if (after.status == Status.LEASED && next <= after.granted) {
          return new Reservation(this, amount, after.epoch);
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
    long epoch = reservation.epoch();
    if (epoch == UNLIMITED_EPOCH) {
      return;
    }
    long delta = actual - reservation.amount();
    if (delta == 0 || (delta < 0 && epoch != state.epoch)) {
      return;
    }
    spent.addAndGet(delta);
  }

  /**
   * What a renewal reports, taken when it is sent.
   *
   * @param sentNanos when the renewal was sent (grant durations count from here)
   * @param spentMark the cumulative use at that moment
   * @param window the window {@code used} belongs to (the last grant's; 0 when none)
   * @param used net use since the last successful report (may be negative: refunds)
   */
  public record Report(
      Allowance allowance, long sentNanos, long spentMark, long window, long used) {}

  /**
   * Snapshots net use for a renewal sent now, and samples demand. Called by the renewal round only.
   */
  public Report report(long nowNanos) {
    State st = state;
    long mark = spent.get();
    demand.observe(mark + refused.sum(), nowNanos);
    return new Report(this, nowNanos, mark, st.window, mark - st.reportedSpent);
  }

  /**
   * Applies what the quota function granted for {@code report}: the new allowance counts from the
   * report's send time, the report's use is acknowledged, and a new window starts a new epoch.
   */
  public void apply(Report report, LeaseGrant grant) {
    State st = state;
    if (LeaseGrant.UNKNOWN.equals(grant.status())) {
      state =
          new State(
              Status.UNLIMITED, 0, report.spentMark, st.epoch, 0, NO_END, Long.MAX_VALUE, -1, -1);
      return;
    }
    boolean newWindow = st.status == Status.LEASED && grant.window() != st.window;
    long sent = report.sentNanos;
    state =
        new State(
            Status.LEASED,
            report.spentMark + Math.max(0, grant.allowance()),
            report.spentMark,
            newWindow ? st.epoch + 1 : st.epoch,
            grant.window(),
            grant.windowEndsInMs() < 0 ? NO_END : sent + grant.windowEndsInMs() * 1_000_000L,
            sent + Math.max(0, grant.validForMs()) * 1_000_000L,
            grant.limit(),
            grant.remaining());
  }

  /**
   * The renewal failed: nothing changes, and the use of {@code report} is reported again next time
   * (a report lost after the quota function counted it is counted twice: the safe direction).
   */
  public void failed(Report report) {
    // Deliberately nothing: the state (and what is reported next) stays as it was.
  }

  /** The budget's status as of the last renewal. */
  public Status status() {
    return state.status;
  }

  /** What the instance may still admit now (may be negative after an overdraw). */
  public long available() {
    State st = state;
    return st.status == Status.LEASED ? st.granted - spent.get() : 0;
  }

  /** The budget's limit per window, or -1 when unknown. */
  public long limit() {
    return state.limit;
  }

  /** The budget's unleased headroom at the last renewal, or -1 when unknown. */
  public long budgetRemaining() {
    return state.remaining;
  }

  /**
   * What a client may still use as far as this instance knows: its own allowance left plus the
   * budget's unleased headroom; what {@code x-ratelimit-remaining-*} reports.
   */
  public long remaining() {
    State st = state;
    if (st.status != Status.LEASED) {
      return -1;
    }
    return Math.max(0, st.granted - spent.get()) + Math.max(0, st.remaining);
  }

  /** Time until the current window ends, or -1 when there is none. */
  public long windowEndsInNanos(long nowNanos) {
    State st = state;
    return st.windowEndNanos == NO_END ? -1 : Math.max(0, st.windowEndNanos - nowNanos);
  }

  /** True when the lease is held and its window has ended (a renewal is due). */
  public boolean windowEnded(long nowNanos) {
    State st = state;
    return st.status == Status.LEASED
        && st.windowEndNanos != NO_END
        && nowNanos - st.windowEndNanos >= 0;
  }

  /** When the lease stops being usable without renewal (monotonic nanos); 0 without a lease. */
  public long validUntilNanos() {
    return state.validUntilNanos;
  }

  /** The window of the last grant (epoch milliseconds on the quota function's clock), or 0. */
  public long window() {
    return state.window;
  }

  /** Net use not yet reported. */
  public long unreported() {
    return spent.get() - state.reportedSpent;
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
    return state.status == Status.LEASED && available() < demand.expectedOver(horizon);
  }

  /** The cumulative allowance: {@code spent} may reach it. For tests. */
  long granted() {
    return state.granted;
  }

  /** Cumulative net use (in flight for {@code concurrent-requests}); for tests and metrics. */
  public long spent() {
    return spent.get();
  }

  @Override
  public String toString() {
    State st = state;
    return "Allowance["
        + name
        + " "
        + st.status
        + " spent="
        + spent.get()
        + " granted="
        + st.granted
        + "]";
  }
}
