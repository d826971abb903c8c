package dev.spillway.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.routing.quality.CategoryClassifier;
import dev.spillway.gateway.routing.quality.QualityFloorPolicy;
import dev.spillway.gateway.validation.ValidationPolicy;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.openai.InvalidRequestException;
import dev.spillway.routing.model.RouterFile;
import dev.spillway.routing.model.RouterModel;
import dev.spillway.usage.Price;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The routing stage with the shipped MMLU router: where the category comes from, what a floor does,
 * and what is never given up for price (an unknown, late or failed category goes to the strongest
 * target; an open breaker moves the next closed target first).
 */
class QualityFloorPolicyTest {

  static final RouterModel ROUTER =
      RouterFile.read(Path.of("../../onnx-models/routers/mmlu-ridge/router.json"));

  static final String PROMPT =
      "Which of the following is the body cavity that contains the pituitary gland?\n"
          + "A. Abdominal\nB. Cranial\nC. Pleural\nD. Spinal";

  final Target cheap = target("cheap", 0.15);
  final Target middle = target("middle", 1.0);
  final Target strong = target("strong", 10);
  final Set<Target> open = new HashSet<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final QualityFloorPolicy policy = new QualityFloorPolicy(new Breakers(), registry);
  final Caller caller = new Caller("acme", "search", PriorityTier.INTERACTIVE);

  /** Anatomy held to 100 % of the strong model: nothing may go cheap; at 50 %: everything may. */
  Route route(CategoryClassifier classifier, Optional<String> defaultCategory) {
    AutoRouting auto =
        new AutoRouting(
            ROUTER,
            Map.of("college_physics", 1.0),
            0.5,
            defaultCategory,
            classifier,
            Duration.ofMillis(30));
    return new Route("auto", List.of(cheap, middle, strong), rules(), auto);
  }

  RouteDecision decide(Route route, String category) throws Exception {
    return policy
        .decide(route, request(PROMPT), category, caller)
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void aRouteWithoutQualityRoutingKeepsItsConfiguredOrder() throws Exception {
    Route plain = new Route("plain", List.of(strong, cheap), rules());
    RouteDecision decision = decide(plain, "anatomy");
    assertEquals(List.of(strong, cheap), decision.candidates());
    assertNull(decision.reason());
    assertNull(decision.category());
  }

  @Test
  void theFloorOfTheNamedCategoryDecidesBetweenTheCheapestAndTheStrongest() throws Exception {
    Route route = route(null, Optional.empty());
    // Anatomy at the default floor of 50 %: its calibrated threshold lets every prompt go cheap.
    assertEquals(RouterModel.ALL_WEAK, ROUTER.threshold("anatomy", 0.5));
    RouteDecision lenient = decide(route, "anatomy");
    assertEquals(List.of(cheap, middle, strong), lenient.candidates());
    assertEquals("floor", lenient.reason());
    assertEquals("anatomy", lenient.category());
    assertSame(strong, lenient.strongest());
    // College physics at 100 %: nothing can be proved safe to send cheap; fallbacks descend.
    assertEquals(RouterModel.ALL_STRONG, ROUTER.threshold("college_physics", 1.0));
    RouteDecision strict = decide(route, "college_physics");
    assertEquals(List.of(strong, middle, cheap), strict.candidates());
    assertEquals("floor", strict.reason());
    assertEquals(
        1.0,
        registry
            .get("spillway.routing.decisions")
            .tags("route", "auto", "target", "openai/strong", "reason", "floor")
            .counter()
            .count());
  }

  @Test
  void anUnknownCategoryIsTheClientsMistakeNamedInA400() {
    ExecutionException failed =
        assertThrows(
            ExecutionException.class, () -> decide(route(null, Optional.empty()), "astrology"));
    InvalidRequestException invalid =
        assertInstanceOf(InvalidRequestException.class, failed.getCause());
    assertEquals("x-spillway-category", invalid.param());
    assertTrue(invalid.getMessage().contains("Unknown category 'astrology'"), invalid.getMessage());
    assertTrue(invalid.getMessage().contains("57 categories"), invalid.getMessage());
  }

  @Test
  void withoutACategoryTheClassifierLabelsThePrompt() throws Exception {
    List<String> asked = new java.util.ArrayList<>();
    CategoryClassifier classifier =
        text -> {
          asked.add(text);
          return CompletableFuture.completedFuture("anatomy");
        };
    RouteDecision decision = decide(route(classifier, Optional.empty()), null);
    assertEquals(List.of(PROMPT), asked, "the classifier reads the last user message");
    assertEquals("anatomy", decision.category());
    assertSame(cheap, decision.candidates().get(0));
  }

  @Test
  void aLateOrFailedClassifierSendsTheRequestToTheStrongest() throws Exception {
    RouteDecision late =
        decide(route(text -> new CompletableFuture<>(), Optional.of("anatomy")), null);
    assertEquals("fallback-timeout", late.reason());
    assertSame(strong, late.candidates().get(0));
    assertNull(late.category());

    RouteDecision failed =
        decide(
            route(
                text -> CompletableFuture.failedFuture(new IllegalStateException("503")),
                Optional.of("anatomy")),
            null);
    assertEquals("fallback-error", failed.reason());
    assertSame(strong, failed.candidates().get(0));

    RouteDecision unlabelled =
        decide(
            route(text -> CompletableFuture.completedFuture("astrology"), Optional.empty()), null);
    assertEquals("uncalibrated-category", unlabelled.reason());
    assertSame(strong, unlabelled.candidates().get(0));
  }

  @Test
  void noCategoryAndNoClassifierUsesTheDefaultOrElseTheStrongest() throws Exception {
    RouteDecision defaulted = decide(route(null, Optional.of("anatomy")), null);
    assertEquals("anatomy", defaulted.category());
    assertSame(cheap, defaulted.candidates().get(0));
    RouteDecision unknown = decide(route(null, Optional.empty()), null);
    assertEquals("no-category", unknown.reason());
    assertSame(strong, unknown.candidates().get(0));
  }

  @Test
  void anOpenBreakerMovesTheNextClosedTargetFirst() throws Exception {
    open.add(cheap);
    RouteDecision decision = decide(route(null, Optional.empty()), "anatomy");
    assertEquals(List.of(middle, strong, cheap), decision.candidates());
    assertEquals("breaker", decision.reason());
    open.addAll(List.of(middle, strong));
    RouteDecision allOpen = decide(route(null, Optional.empty()), "anatomy");
    assertEquals("floor", allOpen.reason(), "nothing better to move first: the dispatcher decides");
    assertSame(cheap, allOpen.candidates().get(0));
  }

  private static ChatCompletionRequest request(String prompt) {
    String json =
        "{\"model\":\"auto\",\"messages\":[{\"role\":\"system\",\"content\":\"Answer with a letter.\"},"
            + "{\"role\":\"user\",\"content\":"
            + com.fasterxml.jackson.databind.node.TextNode.valueOf(prompt)
            + "}]}";
    try {
      return new ChatCompletionRequestParser()
          .parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RouteRules rules() {
    return new RouteRules(
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        new RouteRules.Hedge(RouteRules.HedgeMode.OFF, Duration.ofSeconds(1), 0.95, Duration.ZERO),
        false,
        ValidationPolicy.none(),
        false);
  }

  private static Target target(String model, double usdPerMtok) {
    return new Target(new Unused("openai"), model, Price.perMillion(usdPerMtok, usdPerMtok));
  }

  private final class Breakers implements CircuitBreakers {
    @Override
    public void admit(Target target, Consumer<Optional<Ticket>> decision) {
      throw new AssertionError("routing never spends an attempt");
    }

    @Override
    public boolean isOpen(Target target) {
      return open.contains(target);
    }

    @Override
    public Map<String, BreakerState> states() {
      return Map.of();
    }
  }

  private record Unused(String name) implements ChatProvider {
    @Override
    public Uni<Completion> complete(UpstreamCall call) {
      throw new AssertionError("routing never calls a provider");
    }

    @Override
    public Uni<ChunkStream> stream(UpstreamCall call) {
      throw new AssertionError("routing never calls a provider");
    }
  }
}
