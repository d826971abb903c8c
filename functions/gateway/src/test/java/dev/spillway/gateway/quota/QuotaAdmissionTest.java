package dev.spillway.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.accounting.Outcome;
import dev.spillway.gateway.accounting.RequestRecord;
import dev.spillway.gateway.api.ApiError;
import dev.spillway.gateway.api.ApiException;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.config.GatewayConfig.UnreachablePolicy;
import dev.spillway.gateway.dispatch.UpstreamQuota;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.resilience.ManualScheduler;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.quota.keys.KeyLookupResponse;
import dev.spillway.quota.lease.LeaseClaim;
import dev.spillway.quota.lease.LeaseGrant;
import dev.spillway.quota.lease.LeaseRequest;
import dev.spillway.quota.lease.LeaseResponse;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenCounter;
import dev.spillway.usage.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The request path's quota decision, on a manual clock, with the test playing the quota function:
 * each renewal round the lease manager sends is answered by hand from the grants the test set up,
 * so what a request waits for, reserves and is told can be checked exactly. The real quota function
 * is exercised by the gateway's integration tests ({@code QuotaEnforcementTest}).
 */
class QuotaAdmissionTest {

  private static final TokenCounter WARM = warmCounter();
  private static final Duration RENEWAL_WAIT = Duration.ofMillis(200);

  private final ManualScheduler scheduler = new ManualScheduler();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<LeaseRequest> sent = new ArrayList<>();
  private final List<CompletableFuture<LeaseResponse>> rounds = new ArrayList<>();

  /** What the quota function grants per resource; resources not named get {@link #PLENTY}. */
  private final Map<String, Grant> grants = new HashMap<>();

  private record Grant(long allowance, long remaining, long windowEndsInMs) {}

  private static final Grant PLENTY = new Grant(1_000_000, 1_000_000, 30_000);

  private final LeaseManager leases =
      new LeaseManager(
          request -> {
            sent.add(request);
            CompletableFuture<LeaseResponse> answer = new CompletableFuture<>();
            rounds.add(answer);
            return answer;
          },
          scheduler::nanoTime,
          Duration.ofSeconds(2),
          Duration.ofMillis(250),
          new LeaseManager.Listener() {
            @Override
            public void connection(
                LeaseManager.Connection from, LeaseManager.Connection to, String reason) {}

            @Override
            public void round(boolean succeeded, long nanos) {}
          });

  private final AtomicInteger countedOffLoop = new AtomicInteger();

  private QuotaAdmission admission(
      TokenCounter tokens, Map<PriorityTier, UnreachablePolicy> policies, long safetyPerMinute) {
    return new QuotaAdmission(
        leases,
        tokens,
        scheduler,
        new QuotaAdmission.Settings(
            500, RENEWAL_WAIT, Duration.ofSeconds(5), policies, safetyPerMinute),
        Map.of("openai", "openai-main", "backup", "backup-main"),
        new QuotaMetrics(registry),
        () -> 1_800_000_000_000L,
        counting -> {
          countedOffLoop.incrementAndGet();
          return CompletableFuture.completedFuture(counting.get());
        });
  }

  private QuotaAdmission admission() {
    return admission(WARM, Map.of(), 0);
  }

  /** Answers the last round the lease manager sent, claim by claim. */
  private void answerRound() {
    LeaseRequest request = sent.get(sent.size() - 1);
    List<LeaseGrant> answer = new ArrayList<>();
    for (LeaseClaim claim : request.claims()) {
      Grant grant = grants.getOrDefault(claim.resource(), PLENTY);
      answer.add(
          new LeaseGrant(
              claim.resource(),
              claim.client(),
              LeaseGrant.OK,
              1,
              grant.windowEndsInMs(),
              grant.allowance() + grant.remaining(),
              grant.allowance(),
              grant.remaining(),
              10_000));
    }
    rounds.get(rounds.size() - 1).complete(new LeaseResponse(answer, 2_000));
  }

  private static QuotaCaller caller(PriorityTier tier, KeyLookupResponse.Budget... budgets) {
    return new QuotaCaller(
        new Caller("acme", "chat", tier),
        new KeyLookupResponse("acme", "chat", "standard", List.of(), List.of(budgets), null, 60));
  }

  private static KeyLookupResponse.Budget budget(String resource) {
    return new KeyLookupResponse.Budget(resource, 1_000_000);
  }

  private static final String TENANT_TPM = "tenant/acme/tokens-per-minute";
  private static final String FEATURE_RPM = "tenant/acme/feature/chat/requests-per-minute";

  private static final List<Target> TARGETS =
      List.of(target("openai", "gpt-4o-mini"), target("backup", "gpt-4o-mini"));

  private CompletableFuture<QuotaTicket> admit(
      QuotaAdmission admission, QuotaCaller caller, ChatCompletionRequest request) {
    return admission
        .admit(caller, request, TARGETS, scheduler.nanoTime() + 30_000_000_000L, Runnable::run)
        .toCompletableFuture();
  }

  private long prompt(ChatCompletionRequest request) {
    return WARM.countPrompt("gpt-4o-mini", request.messages());
  }

  @Test
  void theFirstRequestWaitsForTheRenewalThenReservesItsEstimateOnEveryBudget() throws Exception {
    QuotaAdmission admission = admission();
    QuotaCaller caller = caller(PriorityTier.STANDARD, budget(TENANT_TPM), budget(FEATURE_RPM));
    ChatCompletionRequest request = request("hello there", 100);

    CompletableFuture<QuotaTicket> decided = admit(admission, caller, request);

    assertFalse(decided.isDone(), "no lease yet: it waits for the renewal, not for a refusal");
    assertEquals(1, sent.size(), "one round claims every budget of the request at once");
    assertEquals(
        Set.of(
            TENANT_TPM,
            FEATURE_RPM,
            "account/openai-main/tokens-per-minute",
            "account/openai-main/requests-per-minute",
            "account/backup-main/tokens-per-minute",
            "account/backup-main/requests-per-minute"),
        sent.get(0).claims().stream().map(LeaseClaim::resource).collect(Collectors.toSet()));
    answerRound();

    QuotaTicket ticket = decided.get();
    long estimate = prompt(request) + 100;
    assertEquals(estimate, allowance(TENANT_TPM).spent(), "prompt plus max_tokens");
    assertEquals(1, allowance(FEATURE_RPM).spent(), "one request");
    assertEquals(1.0, admissions("admitted", "all"));

    ticket.settle(record(TokenUsage.reported((int) prompt(request), 7), Outcome.SUCCESS));
    assertEquals(prompt(request) + 7, allowance(TENANT_TPM).spent(), "settled at the real use");
  }

  @Test
  void aFullBudgetIsRefusedWithA429ThatNamesItAndSaysWhenItsWindowEnds() throws Exception {
    grants.put(TENANT_TPM, new Grant(50, 0, 30_000));
    QuotaAdmission admission = admission();
    QuotaCaller caller = caller(PriorityTier.STANDARD, budget(TENANT_TPM));

    CompletableFuture<QuotaTicket> first = admit(admission, caller, request("hello", 100));
    answerRound();
    ApiException refusal = refusal(first);

    assertEquals(ApiError.RATE_LIMIT_EXCEEDED, refusal.error());
    assertTrue(
        refusal.getMessage().contains("tokens-per-minute budget of your tenant 'acme'"),
        refusal.getMessage());
    assertEquals(30, refusal.retryAfterSeconds(), "the window ends in 30 s");
    assertEquals(1.0, admissions("refused", "tokens-per-minute"));

    int roundsBefore = sent.size();
    CompletableFuture<QuotaTicket> second = admit(admission, caller, request("hello", 100));
    assertTrue(second.isDone(), "no headroom anywhere: refused at once, without a renewal wait");
    assertEquals(ApiError.RATE_LIMIT_EXCEEDED, refusal(second).error());
    assertEquals(roundsBefore, sent.size());
    assertEquals(0, allowance(TENANT_TPM).spent(), "a refusal reserves nothing");

    CompletableFuture<QuotaTicket> small = admit(admission, caller, request("hi", 1));
    assertTrue(small.isDone() && !small.isCompletedExceptionally(), "what fits is still admitted");
  }

  @Test
  void headroomHeldByOtherInstancesIsAskedForAndOtherwiseRetriedAfterTheRefreshInterval()
      throws Exception {
    grants.put(TENANT_TPM, new Grant(50, 5_000, 30_000));
    QuotaAdmission admission = admission();
    QuotaCaller caller = caller(PriorityTier.STANDARD, budget(TENANT_TPM));
    CompletableFuture<QuotaTicket> warmup = admit(admission, caller, request("hi", 1));
    answerRound();
    warmup.get().settle(record(TokenUsage.reported(1, 1), Outcome.SUCCESS));

    ChatCompletionRequest big = request("hello", 400);
    CompletableFuture<QuotaTicket> decided = admit(admission, caller, big);

    assertFalse(decided.isDone(), "the budget has headroom: a renewal may grant it");
    LeaseClaim claim =
        sent.get(sent.size() - 1).claims().stream()
            .filter(c -> c.resource().equals(TENANT_TPM))
            .findFirst()
            .orElseThrow();
    assertTrue(
        claim.want() >= prompt(big) + 400, "the claim asks for at least the shortfall: " + claim);
    answerRound();

    ApiException refusal = refusal(decided);
    assertEquals(
        2, refusal.retryAfterSeconds(), "others hold the headroom: retry at the next refresh");
  }

  @Test
  void retryAfterNeverOutlastsTheWindowThatRefusedAndIsExactInMilliseconds() throws Exception {
    // Others hold the headroom, but the window ends in 600 ms: sooner than the 2 s refresh.
    grants.put(TENANT_TPM, new Grant(50, 5_000, 600));
    QuotaAdmission admission = admission();
    QuotaCaller caller = caller(PriorityTier.STANDARD, budget(TENANT_TPM));
    CompletableFuture<QuotaTicket> warmup = admit(admission, caller, request("hi", 1));
    answerRound();
    warmup.get().settle(record(TokenUsage.reported(1, 1), Outcome.SUCCESS));
    CompletableFuture<QuotaTicket> decided = admit(admission, caller, request("hello", 400));
    answerRound();
    ApiException refusal = refusal(decided);
    assertEquals(600, refusal.retryAfterMillis(), "the window's end, not the refresh interval");
    assertEquals(1, refusal.retryAfterSeconds(), "Retry-After rounds up to whole seconds");

    // A full budget whose window ends in 2.3 s: retry-after-ms 2300, Retry-After 3.
    grants.put(FEATURE_RPM, new Grant(0, 0, 2_300));
    QuotaCaller limited = caller(PriorityTier.STANDARD, budget(FEATURE_RPM));
    CompletableFuture<QuotaTicket> full = admit(admission, limited, request("hi", 1));
    answerRound();
    ApiException none = refusal(full);
    assertEquals(2_300, none.retryAfterMillis());
    assertEquals(3, none.retryAfterSeconds());
  }

  @Test
  void aRequestRefusedWithoutHeadroomNamesItsSizeAsTheNextClaimsUnit() throws Exception {
    grants.put(TENANT_TPM, new Grant(50, 0, 30_000));
    QuotaAdmission admission = admission();
    QuotaCaller caller = caller(PriorityTier.STANDARD, budget(TENANT_TPM));
    CompletableFuture<QuotaTicket> first = admit(admission, caller, request("hello", 100));
    answerRound();
    refusal(first);
    ChatCompletionRequest request = request("hello", 100);
    CompletableFuture<QuotaTicket> second = admit(admission, caller, request);
    assertTrue(second.isDone(), "refused at once");
    leases.renewSoon();
    LeaseClaim claim =
        sent.get(sent.size() - 1).claims().stream()
            .filter(c -> c.resource().equals(TENANT_TPM))
            .findFirst()
            .orElseThrow();
    assertEquals(
        prompt(request) + 100,
        claim.unit(),
        "a 50-token sliver cannot admit it: the quota function is told so");
  }

  @Test
  void anAncestorsBudgetIsNamedWithoutNamingTheOrganization() throws Exception {
    String ancestor = "tenant/initech-holding/tokens-per-minute";
    grants.put(ancestor, new Grant(10, 0, 5_000));
    QuotaAdmission admission = admission();

    CompletableFuture<QuotaTicket> decided =
        admit(admission, caller(PriorityTier.STANDARD, budget(ancestor)), request("hello", 100));
    answerRound();

    String message = refusal(decided).getMessage();
    assertTrue(message.contains("an organization above your tenant"), message);
    assertFalse(message.contains("initech"), "another tenant's name never leaks: " + message);
  }

  @Test
  void withoutTheQuotaFunctionStandardFailsClosedAndInteractiveOpensUpToTheSafetyLimit()
      throws Exception {
    QuotaAdmission admission =
        admission(
            WARM,
            Map.of(
                PriorityTier.STANDARD, UnreachablePolicy.FAIL_CLOSED,
                PriorityTier.INTERACTIVE, UnreachablePolicy.FAIL_OPEN),
            250);
    ChatCompletionRequest request = request("hello", 100);

    CompletableFuture<QuotaTicket> standard =
        admit(admission, caller(PriorityTier.STANDARD, budget(TENANT_TPM)), request);
    assertFalse(standard.isDone());
    scheduler.advance(RENEWAL_WAIT);
    ApiException closed = refusal(standard);
    assertEquals(ApiError.QUOTA_UNAVAILABLE, closed.error());
    assertEquals(2, closed.retryAfterSeconds(), "retry after the refresh interval");

    QuotaCaller interactive = caller(PriorityTier.INTERACTIVE, budget(TENANT_TPM));
    List<CompletableFuture<QuotaTicket>> opened = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      opened.add(admit(admission, interactive, request));
      scheduler.advance(RENEWAL_WAIT);
    }
    assertFalse(opened.get(0).isCompletedExceptionally(), "admitted unchecked");
    assertFalse(opened.get(1).isCompletedExceptionally(), "still within 250 tokens a minute");
    ApiException safety = refusal(opened.get(2));
    assertEquals(ApiError.RATE_LIMIT_EXCEEDED, safety.error());
    assertTrue(safety.getMessage().contains("local safety limit"), safety.getMessage());
    assertEquals(2.0, admissions("admitted-unchecked", "all"));
    assertEquals(1, sent.size(), "the unanswered round is not sent again while it runs");
  }

  @Test
  void aProviderAccountWithoutRoomSkipsItsTargetAndAnotherAccountIsReservedOnce() throws Exception {
    grants.put("account/openai-main/tokens-per-minute", new Grant(10, 0, 12_000));
    QuotaAdmission admission = admission();
    ChatCompletionRequest request = request("hello", 100);
    CompletableFuture<QuotaTicket> decided =
        admit(admission, caller(PriorityTier.STANDARD, budget(TENANT_TPM)), request);
    answerRound();
    QuotaTicket ticket = decided.get();

    UpstreamQuota.Permit primary = ticket.upstream().reserve(TARGETS.get(0));
    assertFalse(primary.granted(), "the primary's account has no room for this caller");
    assertEquals(Duration.ofSeconds(12), primary.retryAfter(), "its window ends in 12 s");
    assertEquals(1.0, admissions("skipped-target", "account-tokens-per-minute"));

    UpstreamQuota.Permit backup = ticket.upstream().reserve(TARGETS.get(1));
    assertTrue(backup.granted());
    assertEquals(prompt(request) + 100, accountTokens("backup-main").spent());
    backup.won();
    ticket.settle(record(TokenUsage.reported((int) prompt(request), 5), Outcome.SUCCESS));
    assertEquals(prompt(request) + 5, accountTokens("backup-main").spent());
    assertEquals(1, accountRequests("backup-main").spent());
  }

  @Test
  void aForgottenTicketExpiresAfterTheDeadlinePlusTheMarginChargedAsFullyUsed() throws Exception {
    String inFlight = "tenant/acme/concurrent-requests";
    QuotaAdmission admission = admission();
    ChatCompletionRequest request = request("hi", 100);
    CompletableFuture<QuotaTicket> decided =
        admit(
            admission,
            caller(PriorityTier.STANDARD, budget(TENANT_TPM), budget(inFlight)),
            request);
    answerRound();
    decided.get();
    assertEquals(1, allowance(inFlight).spent(), "one request in flight");

    scheduler.advance(Duration.ofSeconds(34));
    assertEquals(1, allowance(inFlight).spent(), "the deadline (30 s) plus 5 s has not passed");
    scheduler.advance(Duration.ofSeconds(2));
    assertEquals(0, allowance(inFlight).spent(), "expired: the in-flight slot is free again");
    assertEquals(
        prompt(request) + 100,
        allowance(TENANT_TPM).spent(),
        "and its tokens are charged as if fully used: the safe direction");
    assertEquals(1.0, registry.counter("spillway.quota.reservations.expired").count());
  }

  @Test
  void beforeTheEncodingsLoadTheByteCountIsReservedAndLongPromptsAreCountedOffTheLoop()
      throws Exception {
    QuotaCaller caller = caller(PriorityTier.STANDARD, budget(TENANT_TPM));
    ChatCompletionRequest request = request("hello there, general kenobi", 10);

    TokenCounter cold = new TokenCounter();
    CompletableFuture<QuotaTicket> early = admit(admission(cold, Map.of(), 0), caller, request);
    answerRound();
    QuotaTicket ticket = early.get();
    long upperBound = cold.upperBoundPrompt(request.messages()) + 10;
    assertEquals(upperBound, allowance(TENANT_TPM).spent(), "an upper bound, not a wait");
    assertTrue(upperBound > prompt(request) + 10);
    ticket.settle(record(TokenUsage.reported(1, 1), Outcome.SUCCESS));

    long settledBefore = allowance(TENANT_TPM).spent();
    QuotaAdmission admission = admission();
    ChatCompletionRequest huge = request("word ".repeat(5_000), 10);
    QuotaTicket counted = admit(admission, caller, huge).get();
    assertEquals(1, countedOffLoop.get(), "a prompt over 16 KiB is counted on a worker");
    assertEquals(
        prompt(huge) + 10, allowance(TENANT_TPM).spent() - settledBefore, "its exact count");
    counted.settle(record(TokenUsage.reported(1, 1), Outcome.SUCCESS));
  }

  // --- helpers ---

  private LeaseManager.Lease lease(String resource, String client, String tier) {
    return leases.leases().get(new LeaseManager.Key(resource, client, tier));
  }

  private dev.spillway.quota.allowance.Allowance allowance(String resource) {
    return lease(resource, "", null).allowance();
  }

  private dev.spillway.quota.allowance.Allowance accountTokens(String account) {
    return lease("account/" + account + "/tokens-per-minute", "acme", "standard").allowance();
  }

  private dev.spillway.quota.allowance.Allowance accountRequests(String account) {
    return lease("account/" + account + "/requests-per-minute", "acme", "standard").allowance();
  }

  private double admissions(String decision, String dimension) {
    return registry
        .counter("spillway.quota.admissions", "decision", decision, "dimension", dimension)
        .count();
  }

  private static ApiException refusal(CompletableFuture<QuotaTicket> decided) {
    assertTrue(decided.isDone(), "decided");
    ExecutionException failed =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, decided::get);
    return assertInstanceOf(ApiException.class, failed.getCause());
  }

  private static RequestRecord record(TokenUsage usage, Outcome outcome) {
    return new RequestRecord(
        "req",
        new Caller("acme", "chat", PriorityTier.STANDARD),
        "route",
        TARGETS.get(0),
        usage,
        false,
        -1,
        1,
        outcome,
        1,
        BigDecimal.ZERO,
        false);
  }

  private static ChatCompletionRequest request(String text, int maxTokens) {
    try {
      var json = new ObjectMapper().createObjectNode();
      json.put("model", "route").put("max_tokens", maxTokens);
      json.putArray("messages").addObject().put("role", "user").put("content", text);
      return new ChatCompletionRequestParser().parse(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Target target(String provider, String model) {
    return new Target(new Unused(provider), model, new Price(BigDecimal.ONE, BigDecimal.ONE));
  }

  private static TokenCounter warmCounter() {
    TokenCounter counter = new TokenCounter();
    counter.warmUp();
    return counter;
  }

  /** A provider that is never called: admission only reads its name. */
  private record Unused(String name) implements ChatProvider {
    @Override
    public Uni<Completion> complete(UpstreamCall call) {
      throw new AssertionError("admission never calls a provider");
    }

    @Override
    public Uni<ChunkStream> stream(UpstreamCall call) {
      throw new AssertionError("admission never calls a provider");
    }
  }
}
