package dev.spillway.gateway.quota;

import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.api.ApiError;
import dev.spillway.gateway.api.ApiException;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.config.GatewayConfig.UnreachablePolicy;
import dev.spillway.gateway.dispatch.UpstreamQuota;
import dev.spillway.gateway.resilience.Scheduler;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatMessage;
import dev.spillway.quota.Dimension;
import dev.spillway.quota.ResourceId;
import dev.spillway.quota.allowance.Allowance;
import dev.spillway.quota.allowance.AllowanceChain;
import dev.spillway.quota.allowance.Refusal;
import dev.spillway.quota.keys.KeyLookupResponse;
import dev.spillway.usage.TokenCounter;
import dev.spillway.usage.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Admits a chat request against every budget of its caller, in the gateway's memory: the request
 * path's quota decision.
 *
 * <ol>
 *   <li>Estimate: prompt tokens (JTokkit) plus {@code max_tokens}/{@code max_completion_tokens},
 *       else the feature's observed p90, else {@code gateway.quota.default-output-tokens}; money
 *       from the dearest candidate's price.
 *   <li>Reserve on every budget of the key (feature, tenant, ancestors), all or nothing: tokens for
 *       token budgets, 1 for requests-per-minute and concurrent-requests, micro-dollars for money.
 *   <li>If an allowance lacks room but a renewal may help (no lease yet, a window ended, or the
 *       budget has unleased headroom), ask for a renewal and wait for it (at most {@code
 *       renewal-wait}, without blocking), then decide again.
 *   <li>Refuse with 429 {@code rate_limit_exceeded} naming the dimension (never another tenant) and
 *       a {@code Retry-After}; or, when the leases expired because the quota function is
 *       unreachable, apply the tier's policy: {@code fail-open} (up to the local safety limit) or
 *       {@code fail-closed} (503 {@code quota_unavailable}).
 * </ol>
 *
 * <p>The returned {@link QuotaTicket} also reserves on provider accounts per upstream attempt. The
 * caller must settle it once; a forgotten ticket expires after the request's deadline plus {@code
 * reservation-margin}. Thread-safe; nothing here blocks.
 */
public final class QuotaAdmission {

  /**
   * Settings from {@code gateway.quota.*}.
   *
   * @param policies the unreachable policy per tier
   */
  public record Settings(
      int defaultOutputTokens,
      Duration renewalWait,
      Duration reservationMargin,
      Map<PriorityTier, UnreachablePolicy> policies,
      long safetyTokensPerMinute) {}

  private final LeaseManager leases;
  private final TokenCounter tokens;
  private final Scheduler scheduler;
  private final Settings settings;
  private final Map<String, String> accountsByProvider;
  private final QuotaMetrics metrics;
  private final LongSupplier epochMillis;
  private final Function<Supplier<Long>, CompletionStage<Long>> blocking;
  private final SafetyLimit safety;

  public QuotaAdmission(
      LeaseManager leases,
      TokenCounter tokens,
      Scheduler scheduler,
      Settings settings,
      Map<String, String> accountsByProvider,
      QuotaMetrics metrics,
      LongSupplier epochMillis,
      Function<Supplier<Long>, CompletionStage<Long>> blocking) {
    this.blocking = blocking;
    this.leases = leases;
    this.tokens = tokens;
    this.scheduler = scheduler;
    this.settings = settings;
    this.accountsByProvider = Map.copyOf(accountsByProvider);
    this.metrics = metrics;
    this.epochMillis = epochMillis;
    this.safety = new SafetyLimit(settings.safetyTokensPerMinute());
  }

  /** What a request is estimated to use. */
  record Estimate(long promptTokens, long tokens, long usdMicros) {}

  Estimate estimate(
      KeyLookupResponse key, ChatCompletionRequest request, List<Target> candidates, long prompt) {
    long output =
        request.maxTokens() != null
            ? request.maxTokens()
            : key.expectedOutputTokens() != null && key.expectedOutputTokens() > 0
                ? key.expectedOutputTokens()
                : settings.defaultOutputTokens();
    TokenUsage usage =
        TokenUsage.reported(
            (int) Math.min(Integer.MAX_VALUE, prompt), (int) Math.min(Integer.MAX_VALUE, output));
    BigDecimal dearest = BigDecimal.ZERO;
    for (Target target : candidates) {
      dearest = dearest.max(target.price().cost(usage));
    }
    long micros =
        dearest
            .multiply(BigDecimal.valueOf(1_000_000))
            .setScale(0, RoundingMode.CEILING)
            .longValue();
    return new Estimate(prompt, prompt + output, micros);
  }

  /** The leases of the caller's own budgets (feature, tenant, ancestors). */
  public List<LeaseManager.Lease> leasesOf(QuotaCaller caller) {
    List<KeyLookupResponse.Budget> budgets =
        caller.key().budgets() == null ? List.of() : caller.key().budgets();
    List<LeaseManager.Lease> out = new ArrayList<>(budgets.size());
    for (KeyLookupResponse.Budget budget : budgets) {
      out.add(leases.lease(budget.resource(), "", null));
    }
    return out;
  }

  /** OpenAI's {@code x-ratelimit-*} headers for the caller's tightest budgets right now. */
  public Map<String, String> headers(QuotaCaller caller) {
    return RateLimitHeaders.of(leasesOf(caller), scheduler.nanoTime());
  }

  /**
   * Admits the request or refuses it.
   *
   * @param deadlineNanos the request's total deadline (orphaned reservations expire after it)
   * @param loop the request's event loop: the decision after a renewal wait continues there
   * @return the ticket; fails with an {@link ApiException} (429 or 503) when refused
   */
  public CompletionStage<QuotaTicket> admit(
      QuotaCaller caller,
      ChatCompletionRequest request,
      List<Target> candidates,
      long deadlineNanos,
      Executor loop) {
    long chars = 0;
    for (ChatMessage message : request.messages()) {
      chars += message.text().length();
    }
    String model = candidates.get(0).model();
    if (!tokens.isWarm()) {
      // The encodings are still loading (the first second after start): reserve the byte count,
      // an upper bound, rather than wait for them on the event loop. Settling corrects it.
      return admit(
          caller,
          request,
          candidates,
          deadlineNanos,
          loop,
          tokens.upperBoundPrompt(request.messages()));
    }
    if (chars <= UsageAccountant.INLINE_COUNT_MAX_CHARS) {
      long prompt = tokens.countPrompt(model, request.messages());
      return admit(caller, request, candidates, deadlineNanos, loop, prompt);
    }
    // A multi-megabyte prompt would hold the event loop while it is tokenized: count it on a
    // worker, then decide on the request's loop.
    CompletableFuture<QuotaTicket> decided = new CompletableFuture<>();
    blocking
        .apply(() -> (long) tokens.countPrompt(model, request.messages()))
        .whenComplete(
            (prompt, failure) ->
                loop.execute(
                    () -> {
                      if (failure != null) {
                        decided.completeExceptionally(failure);
                        return;
                      }
                      admit(caller, request, candidates, deadlineNanos, loop, prompt)
                          .whenComplete(
                              (ticket, refused) -> {
                                if (refused != null) {
                                  decided.completeExceptionally(refused);
                                } else {
                                  decided.complete(ticket);
                                }
                              });
                    }));
    return decided;
  }

  private CompletionStage<QuotaTicket> admit(
      QuotaCaller caller,
      ChatCompletionRequest request,
      List<Target> candidates,
      long deadlineNanos,
      Executor loop,
      long prompt) {
    Estimate estimate = estimate(caller.key(), request, candidates, prompt);
    List<LeaseManager.Lease> own = leasesOf(caller);
    List<LeaseManager.Lease> accountLeases = accountLeases(caller, candidates);
    Allowance[] chain = new Allowance[own.size()];
    Dimension[] dimensions = new Dimension[own.size()];
    long[] amounts = new long[own.size()];
    for (int i = 0; i < own.size(); i++) {
      LeaseManager.Lease lease = own.get(i);
      leases.used(lease);
      chain[i] = lease.allowance();
      dimensions[i] = lease.dimension();
      amounts[i] = amount(lease.dimension(), estimate);
    }
    for (LeaseManager.Lease lease : accountLeases) {
      leases.used(lease);
    }
    Attempt attempt = new Attempt(caller, estimate, own, chain, dimensions, amounts, deadlineNanos);
    AllowanceChain.Outcome first = AllowanceChain.tryReserve(chain, amounts, scheduler.nanoTime());
    boolean accountsPending =
        accountLeases.stream().anyMatch(l -> l.allowance().status() == Allowance.Status.NO_LEASE)
            || primaryAccountNeedsRenewal(accountLeases, estimate);
    if (first instanceof AllowanceChain.Held held && !accountsPending) {
      return CompletableFuture.completedFuture(admitted(attempt, held));
    }
    if (first instanceof AllowanceChain.Refused refused && !refused.refusal().renewalMayHelp()) {
      // The next round names this request as the claim's unit: a sliver too small for it is then
      // given back or made whole, instead of stranding the budget on every instance.
      leases.shortfall(own.get(refused.index()), amounts[refused.index()]);
      try {
        return CompletableFuture.completedFuture(refused(attempt, refused));
      } catch (ApiException refusal) {
        return CompletableFuture.failedFuture(refusal);
      }
    }
    if (first instanceof AllowanceChain.Held held) {
      // Admitted, but the provider accounts have no lease yet: give the reservation back and
      // decide after the renewal, so that the first request meets the accounts' limits too.
      held.release();
    } else {
      AllowanceChain.Refused refused = (AllowanceChain.Refused) first;
      leases.shortfall(own.get(refused.index()), amounts[refused.index()]);
    }
    CompletableFuture<QuotaTicket> decided = new CompletableFuture<>();
    CompletableFuture<Void> renewed = leases.renewSoon().toCompletableFuture();
    var timer = scheduler.schedule(settings.renewalWait(), () -> renewed.complete(null));
    renewed.whenComplete(
        (ignored, failure) ->
            loop.execute(
                () -> {
                  timer.cancel();
                  try {
                    decided.complete(decideAgain(attempt));
                  } catch (RuntimeException refusedOrBug) {
                    decided.completeExceptionally(refusedOrBug);
                  }
                }));
    return decided;
  }

  private QuotaTicket decideAgain(Attempt attempt) {
    AllowanceChain.Outcome outcome =
        AllowanceChain.tryReserve(attempt.chain, attempt.amounts, scheduler.nanoTime());
    if (outcome instanceof AllowanceChain.Held held) {
      return admitted(attempt, held);
    }
    return refused(attempt, (AllowanceChain.Refused) outcome);
  }

  /** The state a decision needs, kept across a renewal wait. */
  private record Attempt(
      QuotaCaller caller,
      Estimate estimate,
      List<LeaseManager.Lease> own,
      Allowance[] chain,
      Dimension[] dimensions,
      long[] amounts,
      long deadlineNanos) {}

  private QuotaTicket admitted(Attempt attempt, AllowanceChain.Held held) {
    metrics.admission("admitted", "all");
    QuotaTicket ticket =
        new QuotaTicket(
            held, attempt.dimensions, attempt.amounts, attempt.estimate.promptTokens(), metrics);
    return withUpstreamAndExpiry(ticket, attempt);
  }

  private QuotaTicket withUpstreamAndExpiry(QuotaTicket ticket, Attempt attempt) {
    ticket.upstream(target -> reserveAccount(ticket, attempt, target));
    long untilDeadline = Math.max(0, attempt.deadlineNanos - scheduler.nanoTime());
    ticket.expireAt(
        scheduler.schedule(
            Duration.ofNanos(untilDeadline).plus(settings.reservationMargin()), ticket::expire));
    return ticket;
  }

  /**
   * A refusal's verdict: throws the 429 (or 503) to send, or returns the ticket of a request the
   * unreachable policy admits.
   */
  private QuotaTicket refused(Attempt attempt, AllowanceChain.Refused refused) {
    Refusal refusal = refused.refusal();
    LeaseManager.Lease lease = attempt.own.get(refused.index());
    Dimension dimension = lease.dimension();
    if (refusal.reason() == Refusal.Reason.NO_LEASE || refusal.reason() == Refusal.Reason.EXPIRED) {
      return unreachable(attempt);
    }
    metrics.admission("refused", dimension.wireName());
    long retryAfterMillis = retryAfterMillis(refusal);
    long retryAfter = seconds(retryAfterMillis);
    throw new ApiException(
        ApiError.RATE_LIMIT_EXCEEDED,
        null,
        "Rate limit reached: the "
            + dimension.wireName()
            + " budget of "
            + scope(attempt.caller, lease)
            + " has no room for this request (it needs "
            + attempt.amounts[refused.index()]
            + " "
            + unit(dimension)
            + "); retry after "
            + retryAfter
            + " s.",
        retryAfter,
        retryAfterMillis);
  }

  /**
   * Fail open (up to the safety limit: returns the ticket) or closed (throws the 503), per the
   * caller's tier, because no valid lease can be had.
   */
  private QuotaTicket unreachable(Attempt attempt) {
    PriorityTier tier = attempt.caller.caller().tier();
    UnreachablePolicy policy =
        settings.policies().getOrDefault(tier, UnreachablePolicy.FAIL_CLOSED);
    String policyName = policy == UnreachablePolicy.FAIL_OPEN ? "fail-open" : "fail-closed";
    metrics.unreachableDecision(tier.name(), policyName);
    long retry = Math.max(1, (leases.refreshInterval().toMillis() + 999) / 1000);
    if (policy == UnreachablePolicy.FAIL_CLOSED) {
      metrics.admission("unavailable", "all");
      throw new ApiException(
          ApiError.QUOTA_UNAVAILABLE,
          null,
          "Quota cannot be checked right now and this key's tier ("
              + tier.name().toLowerCase(Locale.ROOT)
              + ") is not admitted without it; retry later.",
          retry);
    }
    long now = epochMillis.getAsLong();
    if (!safety.tryAcquire(attempt.caller.caller().tenant(), attempt.estimate.tokens(), now)) {
      metrics.admission("refused", "safety-tokens-per-minute");
      long seconds = Math.max(1, (SafetyLimit.untilNextMinute(now) + 999) / 1000);
      throw new ApiException(
          ApiError.RATE_LIMIT_EXCEEDED,
          null,
          "Rate limit reached: quota cannot be checked right now, and the gateway's local safety"
              + " limit for your tenant is used up; retry after "
              + seconds
              + " s.",
          seconds);
    }
    metrics.admission("admitted-unchecked", "all");
    return withUpstreamAndExpiry(
        new QuotaTicket(null, null, null, attempt.estimate.promptTokens(), metrics), attempt);
  }

  /**
   * The wait a refusal tells the client, in milliseconds: when the budget has headroom that others
   * hold or may give back (a fair share capped this instance), the refresh interval, in which
   * shares are re-divided, or the window's end if sooner; else the time until the refusing window
   * ends, when a new budget begins. Never beyond the window's end. A budget without a window
   * (concurrent requests) says 1 s.
   */
  long retryAfterMillis(Refusal refusal) {
    long windowEndsInMs =
        refusal.windowEndsInNanos() < 0
            ? -1
            : (refusal.windowEndsInNanos() + 999_999L) / 1_000_000L;
    if (refusal.budgetRemaining() > 0) {
      long refresh = leases.refreshInterval().toMillis();
      return windowEndsInMs >= 0 ? Math.min(refresh, windowEndsInMs) : refresh;
    }
    return windowEndsInMs >= 0 ? windowEndsInMs : 1_000;
  }

  /** {@code Retry-After} in whole seconds for {@link #retryAfterMillis}: rounded up, at least 1. */
  long retryAfterSeconds(Refusal refusal) {
    return seconds(retryAfterMillis(refusal));
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  /** Names whose budget it is without naming another tenant: an ancestor is "above". */
  private static String scope(QuotaCaller caller, LeaseManager.Lease lease) {
    ResourceId id = ResourceId.parse(lease.key().resource());
    if (id.feature() != null) {
      return "your feature '" + id.feature() + "'";
    }
    if (id.owner().equals(caller.caller().tenant())) {
      return "your tenant '" + id.owner() + "'";
    }
    return "an organization above your tenant";
  }

  private static String unit(Dimension dimension) {
    return switch (dimension.unit()) {
      case TOKENS -> "tokens";
      case REQUESTS -> "request";
      case USD_MICROS -> "micro-dollars";
    };
  }

  private static long amount(Dimension dimension, Estimate estimate) {
    return switch (dimension) {
      case TOKENS_PER_MINUTE, TOKENS_PER_DAY -> estimate.tokens();
      case REQUESTS_PER_MINUTE, CONCURRENT_REQUESTS -> 1;
      case USD_MICROS_PER_MONTH -> estimate.usdMicros();
    };
  }

  String account(Target target) {
    String provider = target.provider().name();
    return accountsByProvider.getOrDefault(provider, provider);
  }

  /**
   * True when the first candidate's provider account cannot take this request now but a renewal may
   * change that: its window ended (short account windows roll over every second), or its allowance
   * is short while the account has unleased headroom. The request then waits for the renewal like a
   * request without a lease, instead of skipping its first target (and getting a 429 when it has no
   * other) a moment before the renewal lands. Reads only; reserves nothing.
   */
  private boolean primaryAccountNeedsRenewal(
      List<LeaseManager.Lease> accountLeases, Estimate estimate) {
    if (accountLeases.size() < 2) {
      return false;
    }
    long now = scheduler.nanoTime();
    boolean pending = false;
    long[] amounts = {estimate.tokens(), 1};
    for (int i = 0; i < 2; i++) {
      LeaseManager.Lease lease = accountLeases.get(i);
      Allowance allowance = lease.allowance();
      if (allowance.status() != Allowance.Status.LEASED) {
        continue;
      }
      if (allowance.windowEnded(now)) {
        pending = true;
      } else if (allowance.available(now) < amounts[i] && allowance.budgetRemaining() > 0) {
        leases.shortfall(lease, amounts[i]);
        pending = true;
      }
    }
    return pending;
  }

  /** Touches the account leases of every candidate, so that one renewal round claims them all. */
  private List<LeaseManager.Lease> accountLeases(QuotaCaller caller, List<Target> candidates) {
    Set<String> accounts = new HashSet<>();
    List<LeaseManager.Lease> out = new ArrayList<>();
    String tenant = caller.caller().tenant();
    String tier = caller.caller().tier().name().toLowerCase(Locale.ROOT);
    for (Target target : candidates) {
      String account = account(target);
      if (accounts.add(account) && ResourceId.isValidName(account)) {
        out.add(leases.lease("account/" + account + "/tokens-per-minute", tenant, tier));
        out.add(leases.lease("account/" + account + "/requests-per-minute", tenant, tier));
      }
    }
    return out;
  }

  private UpstreamQuota.Permit reserveAccount(QuotaTicket ticket, Attempt attempt, Target target) {
    String account = account(target);
    if (!ResourceId.isValidName(account)) {
      return UpstreamQuota.Permit.UNLIMITED;
    }
    String tenant = attempt.caller.caller().tenant();
    PriorityTier tier = attempt.caller.caller().tier();
    String tierName = tier.name().toLowerCase(Locale.ROOT);
    LeaseManager.Lease tokensLease =
        leases.lease("account/" + account + "/tokens-per-minute", tenant, tierName);
    LeaseManager.Lease requestsLease =
        leases.lease("account/" + account + "/requests-per-minute", tenant, tierName);
    Allowance[] chain = {tokensLease.allowance(), requestsLease.allowance()};
    long[] amounts = {attempt.estimate.tokens(), 1};
    AllowanceChain.Outcome outcome =
        AllowanceChain.tryReserve(chain, amounts, scheduler.nanoTime());
    if (outcome instanceof AllowanceChain.Held held) {
      QuotaTicket.AccountPermit permit =
          new QuotaTicket.AccountPermit(held, attempt.estimate.tokens(), ticket);
      ticket.issued(permit);
      return permit;
    }
    AllowanceChain.Refused refused = (AllowanceChain.Refused) outcome;
    Refusal refusal = refused.refusal();
    if (refusal.reason() == Refusal.Reason.NO_LEASE || refusal.reason() == Refusal.Reason.EXPIRED) {
      UnreachablePolicy policy =
          settings.policies().getOrDefault(tier, UnreachablePolicy.FAIL_CLOSED);
      metrics.unreachableDecision(
          tier.name(), policy == UnreachablePolicy.FAIL_OPEN ? "fail-open" : "fail-closed");
      if (policy == UnreachablePolicy.FAIL_OPEN) {
        return UpstreamQuota.Permit.UNLIMITED;
      }
    } else {
      leases.shortfall(
          refused.index() == 0 ? tokensLease : requestsLease, amounts[refused.index()]);
    }
    metrics.admission(
        "skipped-target",
        refused.index() == 0 ? "account-tokens-per-minute" : "account-requests-per-minute");
    Duration retry = Duration.ofMillis(Math.max(1, retryAfterMillis(refusal)));
    return new UpstreamQuota.Permit() {
      @Override
      public boolean granted() {
        return false;
      }

      @Override
      public Duration retryAfter() {
        return retry;
      }
    };
  }
}
