package dev.spillway.gateway.quota;

import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.dispatch.UpstreamQuota;
import dev.spillway.quota.Dimension;
import dev.spillway.quota.allowance.AllowanceChain;
import io.smallrye.mutiny.subscription.Cancellable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one admitted request holds: its reservations on the caller's budgets and, per upstream
 * attempt that answered, on the provider account. Settled exactly once ({@link #settle}), whatever
 * happens to the request; if no one settles it by the request's deadline plus a margin, it expires
 * and is settled as fully used ({@link #expire()}). Thread-safe.
 */
public final class QuotaTicket {

  /** A request admitted without quota (enforcement off). */
  public static final QuotaTicket NONE = new QuotaTicket(null, null, null, 0, null);

  private final AllowanceChain.Held held;
  private final Dimension[] dimensions;
  private final long[] amounts;
  private volatile UpstreamQuota upstream;
  private final long promptTokens;
  private final QuotaMetrics metrics;
  private final List<AccountPermit> winners = new CopyOnWriteArrayList<>();

  /** Every account permit handed out, so that none outlives the request unsettled. */
  private final List<AccountPermit> permits = new CopyOnWriteArrayList<>();

  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile Cancellable expiry;

  QuotaTicket(
      AllowanceChain.Held held,
      Dimension[] dimensions,
      long[] amounts,
      long promptTokens,
      QuotaMetrics metrics) {
    this.held = held;
    this.dimensions = dimensions;
    this.amounts = amounts;
    this.promptTokens = promptTokens;
    this.metrics = metrics;
  }

  /** The request's provider-account reservations, one per upstream attempt. */
  public UpstreamQuota upstream() {
    return upstream == null ? UpstreamQuota.UNLIMITED : upstream;
  }

  void upstream(UpstreamQuota upstream) {
    this.upstream = upstream;
  }

  void expireAt(Cancellable timer) {
    this.expiry = timer;
    if (settled.get()) {
      timer.cancel();
    }
  }

  void issued(AccountPermit permit) {
    permits.add(permit);
    if (settled.get()) {
      permit.release();
    }
  }

  void won(AccountPermit permit) {
    winners.add(permit);
    if (settled.get()) {
      permit.settle(promptTokens);
    }
  }

  /**
   * Settles with what the request really used (its record's usage and cost): the difference to each
   * reservation is refunded or charged. A request that never reached an upstream uses no tokens; a
   * client that left before usage was known is charged its prompt. Later calls do nothing.
   */
  public void settle(RequestRecord record) {
    long tokens;
    if (record.usage() != null) {
      tokens = record.usage().totalTokens();
    } else if (record.outcome() == Outcome.CLIENT_CANCELLED && record.attempts() > 0) {
      tokens = promptTokens;
    } else {
      tokens = 0;
    }
    long usdMicros =
        record.cost() == null
            ? 0
            : record
                .cost()
                .multiply(BigDecimal.valueOf(1_000_000))
                .setScale(0, RoundingMode.CEILING)
                .longValueExact();
    settle(tokens, usdMicros, false);
  }

  /** Orphaned: nobody settled it in time. Settled as fully used, and counted. */
  void expire() {
    if (!settled.get() && held != null) {
      metrics.reservationExpired();
    }
    settle(-1, -1, true);
  }

  private void settle(long tokens, long usdMicros, boolean fullyUsed) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    Cancellable timer = expiry;
    if (timer != null) {
      timer.cancel();
    }
    if (held != null) {
      long[] actual = new long[amounts.length];
      for (int i = 0; i < amounts.length; i++) {
        // Fully used: the whole estimate, except the in-flight slot, which the request (long past
        // its deadline) no longer holds.
        actual[i] =
            fullyUsed
                ? (dimensions[i] == Dimension.CONCURRENT_REQUESTS ? 0 : amounts[i])
                : switch (dimensions[i]) {
                  case TOKENS_PER_MINUTE, TOKENS_PER_DAY -> tokens;
                  case REQUESTS_PER_MINUTE -> 1;
                  case CONCURRENT_REQUESTS -> 0;
                  case USD_MICROS_PER_MONTH -> usdMicros;
                };
      }
      held.settle(actual);
    }
    for (AccountPermit winner : winners) {
      winner.settle(fullyUsed ? -1 : tokens);
    }
    // A permit whose attempt never started (its admission was still queued when the request
    // ended) was never ended by an attempt: nothing was sent on it.
    for (AccountPermit permit : permits) {
      permit.release();
    }
  }

  boolean settled() {
    return settled.get();
  }

  /** One attempt's reservation on a provider account (tokens and one request). */
  static final class AccountPermit implements UpstreamQuota.Permit {
    private final AllowanceChain.Held held;
    private final long estimate;
    private final QuotaTicket ticket;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile boolean won;

    AccountPermit(AllowanceChain.Held held, long estimate, QuotaTicket ticket) {
      this.held = held;
      this.estimate = estimate;
      this.ticket = ticket;
    }

    @Override
    public void release() {
      if (done.compareAndSet(false, true)) {
        held.release();
      }
    }

    @Override
    public void ended() {
      if (!won && done.compareAndSet(false, true)) {
        held.settle(new long[] {0, 1});
      }
    }

    @Override
    public void won() {
      if (!won) {
        won = true;
        ticket.won(this);
      }
    }

    @Override
    public void settleWith(long tokens) {
      settle(tokens);
    }

    /** Settles with the request's tokens; negative: fully used (expired). */
    void settle(long tokens) {
      if (done.compareAndSet(false, true)) {
        held.settle(new long[] {tokens < 0 ? estimate : tokens, 1});
      }
    }
  }
}
