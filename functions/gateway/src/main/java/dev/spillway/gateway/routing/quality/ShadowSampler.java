package dev.spillway.gateway.routing.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.dispatch.DispatchRequest;
import dev.spillway.gateway.dispatch.Dispatched;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.quota.QuotaClient;
import dev.spillway.gateway.routing.AutoRouting;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.quota.feedback.FeedbackRequest;
import dev.spillway.usage.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Shadow sampling for {@code auto} routes: after an answer (streamed or not) served by a cheaper
 * target, a share ({@code auto.shadow.rate}) of requests is sent again, off the client's path, to
 * the route's strongest target; whether the two answers agree ({@link ShadowComparison}) is
 * recorded with the quota function as the request's {@code shadow} judgement, which every gateway's
 * {@link QualityMonitor} reads back. Each tenant's shadow spending is capped per UTC day on this
 * instance ({@code auto.shadow.max-usd-per-day}, at the strongest target's price of the answer's
 * tokens). Thread-safe; never blocks the client's request, and a shadow failure never reaches it.
 */
public final class ShadowSampler {

  /** A usage event may land in the quota function's ledger a little after the answer. */
  static final long RETRY_AFTER_MS = 2_000;

  private final Function<DispatchRequest, Uni<Dispatched<Completion>>> strongest;
  private final Optional<QuotaClient> quota;
  private final MeterRegistry registry;
  private final RandomGenerator random;
  private final Supplier<LocalDate> today;
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Double> spentToday = new HashMap<>();
  private LocalDate spentOn;
  private int inFlight;
  private final List<CompletableFuture<Void>> waitingForIdle = new java.util.ArrayList<>();

  public ShadowSampler(
      Function<DispatchRequest, Uni<Dispatched<Completion>>> strongest,
      Optional<QuotaClient> quota,
      MeterRegistry registry,
      RandomGenerator random,
      Supplier<LocalDate> today) {
    this.strongest = strongest;
    this.quota = quota;
    this.registry = registry;
    this.random = random;
    this.today = today;
  }

  /**
   * Offers a served, non-streamed request for shadowing.
   *
   * @param served the target that answered
   * @param answer the answer's text
   * @param usage its tokens (what the strongest target is priced on)
   * @param loop where the shadow request's signals run
   */
  public void offer(
      String requestId,
      Caller caller,
      Route route,
      ChatCompletionRequest request,
      RouteDecision routing,
      Target served,
      String answer,
      TokenUsage usage,
      Executor loop) {
    if (sampled(route, routing)) {
      shadow(requestId, caller, route, request, routing, served, answer, usage, loop);
    }
  }

  /**
   * Draws whether a request of this route is shadowed, before its answer exists: a stream then
   * keeps its text (and only then) for the comparison.
   */
  public boolean sampled(Route route, RouteDecision routing) {
    AutoRouting auto = route.auto();
    return quota.isPresent()
        && auto != null
        && auto.shadowRate() > 0
        && routing != null
        && routing.category() != null
        && routing.strongest() != null
        && random.nextDouble() < auto.shadowRate();
  }

  /** Shadows a sampled request whose answer is complete ({@link #sampled} said yes). */
  public void shadow(
      String requestId,
      Caller caller,
      Route route,
      ChatCompletionRequest request,
      RouteDecision routing,
      Target served,
      String answer,
      TokenUsage usage,
      Executor loop) {
    AutoRouting auto = route.auto();
    Target strong = routing.strongest();
    if (strong.equals(served)) {
      return;
    }
    double estimate = strong.price().cost(usage).doubleValue();
    if (!reserve(caller.tenant(), estimate, auto.shadowUsdPerDay())) {
      count(route, "over-budget");
      return;
    }
    count(route, "sampled");
    began();
    DispatchRequest shadow =
        new DispatchRequest(
            nonStreamed(request),
            requestId + "-shadow",
            route.name(),
            route.rules(),
            List.of(strong),
            caller,
            System.nanoTime() + route.rules().total().toNanos(),
            loop);
    strongest
        .apply(shadow)
        .subscribe()
        .with(
            done -> {
              Optional<Boolean> agree = ShadowComparison.agree(answer, text(done.result()));
              if (agree.isEmpty()) {
                count(route, "incomparable");
                ended();
                return;
              }
              count(route, agree.get() ? "agreed" : "disagreed");
              record(
                  route,
                  new FeedbackRequest(
                      caller.tenant(),
                      requestId,
                      agree.get() ? 1 : 0,
                      null,
                      FeedbackRequest.SHADOW),
                  true);
            },
            failure -> {
              count(route, "failed");
              Log.debugf(failure, "request %s: shadow request failed", requestId);
              ended();
            });
  }

  /**
   * Completes once no shadow is in flight (its strong answer awaited, or its judgement being
   * recorded): what a graceful stop, or a test that must see the judgements, waits for.
   */
  public synchronized CompletableFuture<Void> settled() {
    if (inFlight == 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> idle = new CompletableFuture<>();
    waitingForIdle.add(idle);
    return idle;
  }

  private synchronized void began() {
    inFlight++;
  }

  private void ended() {
    List<CompletableFuture<Void>> idle;
    synchronized (this) {
      if (--inFlight > 0) {
        return;
      }
      idle = List.copyOf(waitingForIdle);
      waitingForIdle.clear();
    }
    idle.forEach(waiting -> waiting.complete(null));
  }

  private void record(Route route, FeedbackRequest judgement, boolean retry) {
    quota
        .get()
        .feedback(judgement)
        .whenComplete(
            (recorded, failure) -> {
              if (failure != null) {
                count(route, "failed");
                Log.debugf(
                    failure, "request %s: shadow judgement not recorded", judgement.requestId());
              } else if (recorded.isEmpty() && retry) {
                CompletableFuture.delayedExecutor(RETRY_AFTER_MS, TimeUnit.MILLISECONDS)
                    .execute(() -> record(route, judgement, false));
                return;
              } else if (recorded.isEmpty()) {
                count(route, "failed");
              }
              ended();
            });
  }

  /** Takes {@code usd} from the tenant's shadow budget of the day; false when it lacks room. */
  private synchronized boolean reserve(String tenant, double usd, double limit) {
    LocalDate day = today.get();
    if (!day.equals(spentOn)) {
      spentToday.clear();
      spentOn = day;
    }
    double spent = spentToday.getOrDefault(tenant, 0.0);
    if (spent + usd > limit) {
      return false;
    }
    spentToday.put(tenant, spent + usd);
    return true;
  }

  /** The same request, answered whole: only the text is compared. */
  static ChatCompletionRequest nonStreamed(ChatCompletionRequest request) {
    if (!request.stream()) {
      return request;
    }
    ObjectNode raw = request.raw().deepCopy();
    raw.remove("stream");
    raw.remove("stream_options");
    return new ChatCompletionRequest(
        raw,
        request.model(),
        request.messages(),
        false,
        false,
        request.maxTokens(),
        request.temperature(),
        request.topP(),
        request.stop(),
        request.tools(),
        request.toolChoice(),
        request.responseFormat(),
        request.user());
  }

  private static String text(Completion completion) {
    JsonNode content = completion.body().path("choices").path(0).path("message").path("content");
    return content.isTextual() ? content.asText() : "";
  }

  private void count(Route route, String outcome) {
    outcomes
        .computeIfAbsent(
            route.name() + '\0' + outcome,
            k ->
                Counter.builder("spillway.routing.shadow")
                    .description(
                        "Shadow samples of quality-routed requests by outcome (sampled, over-budget,"
                            + " agreed, disagreed, incomparable, failed)")
                    .tag("route", route.name())
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }
}
