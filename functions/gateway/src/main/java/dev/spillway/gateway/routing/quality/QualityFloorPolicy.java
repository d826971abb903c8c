package dev.spillway.gateway.routing.quality;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.drift.QueryText;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.routing.AutoRouting;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteDecision;
import dev.spillway.gateway.routing.RoutingPolicy;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.InvalidRequestException;
import dev.spillway.routing.model.RouterModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The routing stage. A route without quality routing tries its targets in configured order. An
 * {@code auto} route sends each prompt to the cheapest candidate that keeps its task category at
 * its floor: the category comes from the request ({@code x-spillway-category}), else from the
 * classifier within its time budget, else from the route's default; the router model scores the
 * prompt (its last user message) and the category's calibrated threshold for the floor decides
 * between the route's cheapest target and its strongest (its last).
 *
 * <p>What is never given up for price: a request whose category cannot be told in time, or that the
 * router has no calibrated threshold for, goes to the strongest candidate, and says why in its
 * {@code reason}. An open breaker on the chosen candidate moves the next closed one first (reason
 * {@code breaker}); the others stay behind it as fallbacks, in the order that loses the least
 * quality (cheapest upwards after a cheap choice, strongest downwards after a strong one).
 *
 * <p>Measured quality corrects it online: a category that users' feedback finds below its floor
 * ({@link DegradedCategories}, shared by every instance through the quota function) is routed with
 * a raised floor, reason {@code degraded}, until it recovers.
 *
 * <p>Thread-safe; never blocks: only the classifier's call is asynchronous, and its answer is
 * bounded by the route's time budget.
 */
public final class QualityFloorPolicy implements RoutingPolicy {

  /** Enough of a prompt to score it: the router's features saturate long before. */
  static final int MAX_PROMPT_CHARS = 16_384;

  private final CircuitBreakers breakers;
  private final MeterRegistry registry;
  private final DegradedCategories degraded;
  private final Map<String, Counter> decisions = new ConcurrentHashMap<>();

  public QualityFloorPolicy(CircuitBreakers breakers, MeterRegistry registry) {
    this(breakers, registry, DegradedCategories.NONE);
  }

  /**
   * @param degraded categories that measured quality holds below their floor: routed with a raised
   *     floor (reason {@code degraded}) until they recover
   */
  public QualityFloorPolicy(
      CircuitBreakers breakers, MeterRegistry registry, DegradedCategories degraded) {
    this.breakers = breakers;
    this.registry = registry;
    this.degraded = degraded;
  }

  @Override
  public CompletionStage<RouteDecision> decide(
      Route route, ChatCompletionRequest request, String category, Caller caller) {
    AutoRouting auto = route.auto();
    if (auto == null) {
      return CompletableFuture.completedFuture(RouteDecision.configured(route));
    }
    String prompt = QueryText.lastUserMessage(request.messages(), MAX_PROMPT_CHARS);
    String text = prompt == null ? "" : prompt;
    if (category != null) {
      if (!known(auto, category)) {
        return CompletableFuture.failedFuture(unknownCategory(route, auto, category));
      }
      return CompletableFuture.completedFuture(choose(route, text, category));
    }
    if (auto.classifier() != null && !text.isEmpty()) {
      return auto.classifier()
          .classify(text)
          .toCompletableFuture()
          .orTimeout(auto.classifierTimeout().toNanos(), TimeUnit.NANOSECONDS)
          .handle(
              (label, failure) -> {
                if (failure == null && label != null) {
                  return choose(route, text, label);
                }
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                return strongest(
                    route,
                    null,
                    cause instanceof TimeoutException ? "fallback-timeout" : "fallback-error");
              });
    }
    return CompletableFuture.completedFuture(
        auto.defaultCategory()
            .map(c -> choose(route, text, c))
            .orElseGet(() -> strongest(route, null, "no-category")));
  }

  private static boolean known(AutoRouting auto, String category) {
    return auto.router().categories().contains(category) || auto.floors().containsKey(category);
  }

  private static InvalidRequestException unknownCategory(
      Route route, AutoRouting auto, String category) {
    String examples =
        auto.router().categories().stream().limit(3).collect(Collectors.joining(", "));
    return new InvalidRequestException(
        "x-spillway-category",
        "Unknown category '"
            + (category.length() > 64 ? category.substring(0, 64) + "…" : category)
            + "' for model '"
            + route.name()
            + "': its router knows "
            + auto.router().categories().size()
            + " categories (e.g. "
            + examples
            + "); leave the header out to let the gateway classify the prompt.");
  }

  private RouteDecision choose(Route route, String text, String category) {
    AutoRouting auto = route.auto();
    double configured = auto.floor(category);
    double floor = degraded.floor(route, category, configured);
    RouterModel.Decision decision = auto.router().route(text, category, floor);
    boolean cheap = decision.candidate() == 0;
    List<Target> order = new ArrayList<>(route.targets());
    if (!cheap) {
      java.util.Collections.reverse(order);
    }
    String reason = floor > configured ? "degraded" : decision.reason();
    return decided(route, order, category, reason);
  }

  private RouteDecision strongest(Route route, String category, String reason) {
    List<Target> order = new ArrayList<>(route.targets());
    java.util.Collections.reverse(order);
    return decided(route, order, category, reason);
  }

  /** Moves targets whose breaker is open behind the closed ones, keeping each group's order. */
  private RouteDecision decided(Route route, List<Target> order, String category, String reason) {
    Target first = order.get(0);
    if (breakers.isOpen(first)) {
      List<Target> closed = new ArrayList<>();
      List<Target> open = new ArrayList<>();
      for (Target t : order) {
        (breakers.isOpen(t) ? open : closed).add(t);
      }
      if (!closed.isEmpty()) {
        closed.addAll(open);
        order = closed;
        reason = "breaker";
      }
    }
    Target strongest = route.targets().get(route.targets().size() - 1);
    count(route.name(), order.get(0), reason);
    return new RouteDecision(order, category, reason, strongest);
  }

  private void count(String route, Target target, String reason) {
    decisions
        .computeIfAbsent(
            route + '\0' + target.key() + '\0' + reason,
            k ->
                Counter.builder("spillway.routing.decisions")
                    .description(
                        "Quality-routing decisions by route, chosen target and reason (floor,"
                            + " uncalibrated-category, no-category, fallback-timeout, fallback-error,"
                            + " breaker)")
                    .tag("route", route)
                    .tag("target", target.key())
                    .tag("reason", reason)
                    .register(registry))
        .increment();
  }
}
