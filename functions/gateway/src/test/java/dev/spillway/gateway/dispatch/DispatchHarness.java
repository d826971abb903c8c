package dev.spillway.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.resilience.AdmissionController;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.LatencyTracker;
import dev.spillway.gateway.resilience.ManualScheduler;
import dev.spillway.gateway.resilience.RetryBudget;
import dev.spillway.gateway.resilience.aimd.AimdLimit;
import dev.spillway.gateway.routing.AccountFieldPolicy;
import dev.spillway.gateway.routing.RouteRules;
import dev.spillway.gateway.routing.Target;
import dev.spillway.gateway.validation.SchemaCache;
import dev.spillway.gateway.validation.ValidationPolicy;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One request's race, driven step by step: the providers answer when the test says, and time moves
 * only when the test advances the scheduler, so fallback, retries, hedges, deadlines and the gate's
 * releases are checked logically, without a wall clock.
 */
/**
 * What a dispatch runs among, made by hand: providers that answer when a test says, breakers a test
 * opens, real admission controllers and retry budgets on a {@link ManualScheduler}, so time moves
 * only when a test advances it. The request's event loop is the test's own thread.
 */
abstract class DispatchHarness {

  static final Duration MS = Duration.ofMillis(1);

  final ManualScheduler scheduler = new ManualScheduler();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Breakers breakers = new Breakers();
  final Map<String, AdmissionController> admissions = new ConcurrentHashMap<>();
  int concurrencyLimit = 10;
  int maxAttemptsPerTarget = 1;

  /** Made on first use, so that a test may set the limits above first. */
  private Dispatcher dispatcher;

  UniAssertSubscriber<Dispatched<Completion>> complete(DispatchRequest request) {
    return dispatcher().complete(request).subscribe().withSubscriber(UniAssertSubscriber.create());
  }

  Dispatcher dispatcher() {
    if (dispatcher == null) {
      dispatcher =
          new Dispatcher(
              breakers,
              Duration.ofSeconds(5),
              name ->
                  admissions.computeIfAbsent(
                      name,
                      n ->
                          new AdmissionController(
                              n,
                              new AimdLimit(
                                  AimdLimit.Config.DEFAULTS
                                      .withMinLimit(1)
                                      .withInitialLimit(concurrencyLimit)
                                      .withMaxLimit(concurrencyLimit)),
                              8,
                              Duration.ofSeconds(10),
                              scheduler)),
              () -> new RetryBudget(0.2, 10, Duration.ofSeconds(10), scheduler::nanoTime),
              LatencyTracker::new,
              scheduler,
              new Dispatcher.Settings(
                  maxAttemptsPerTarget, ms(100), ms(500), Duration.ofSeconds(2), 2),
              new DispatchMetrics(registry, true),
              null, // no stream in these races: nothing to account
              new SchemaCache(16));
    }
    return dispatcher;
  }

  int inFlight(String provider) {
    AdmissionController admission = admissions.get(provider);
    return admission == null ? 0 : admission.inFlight();
  }

  DispatchRequest request(RouteRules rules, Scripted... providers) {
    return request(rules, UpstreamQuota.UNLIMITED, providers);
  }

  DispatchRequest request(RouteRules rules, UpstreamQuota quota, Scripted... providers) {
    return request(
        rules, scheduler.nanoTime() + Duration.ofSeconds(30).toNanos(), quota, providers);
  }

  DispatchRequest request(RouteRules rules, long deadlineNanos, Scripted... providers) {
    return request(rules, deadlineNanos, UpstreamQuota.UNLIMITED, providers);
  }

  DispatchRequest request(
      RouteRules rules, long deadlineNanos, UpstreamQuota quota, Scripted... providers) {
    List<Target> targets = new ArrayList<>();
    for (Scripted provider : providers) {
      targets.add(new Target(provider, "m", new Price(BigDecimal.ONE, BigDecimal.ONE)));
    }
    return new DispatchRequest(
        REQUEST,
        "req-" + System.identityHashCode(targets),
        "route",
        rules,
        targets,
        new Caller("acme", "chat", PriorityTier.INTERACTIVE),
        deadlineNanos,
        Runnable::run, // the test thread is the request's event loop
        quota);
  }

  static final ChatCompletionRequest REQUEST = parse();

  static ChatCompletionRequest parse() {
    try {
      return new ChatCompletionRequestParser()
          .parse(
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .readTree(
                      "{\"model\":\"route\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static RouteRules rules() {
    return rules(new RouteRules.Hedge(RouteRules.HedgeMode.OFF, ms(50), 0.9, MS));
  }

  static RouteRules rules(RouteRules.Hedge hedge) {
    return rules(hedge, false);
  }

  /** No hedging; a stall after 2 s; mid-stream recovery as given. */
  static RouteRules streamRules(boolean midStreamRecovery) {
    return rules(
        new RouteRules.Hedge(RouteRules.HedgeMode.OFF, ms(50), 0.9, MS), midStreamRecovery);
  }

  static RouteRules rules(RouteRules.Hedge hedge, boolean midStreamRecovery) {
    return new RouteRules(
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        hedge,
        midStreamRecovery,
        ValidationPolicy.none(),
        false,
        AccountFieldPolicy.NONE);
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  static String[] tags(String provider, String kind) {
    return new String[] {"provider", provider, "model", "m", "kind", kind};
  }

  /**
   * A chunk in OpenAI's shape from upstream {@code id}: some text, or a finish when text is null.
   */
  static ChatChunk chunk(String id, String text) {
    String choice =
        text == null
            ? "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}"
            : "{\"index\":0,\"delta\":{\"content\":\"" + text + "\"},\"finish_reason\":null}";
    String json =
        "{\"id\":\""
            + id
            + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m-"
            + id
            + "\",\"choices\":["
            + choice
            + "]}";
    try {
      return ChatChunk.read(json, true);
    } catch (ChatChunk.Unreadable e) {
      throw new IllegalArgumentException(e);
    }
  }

  UniAssertSubscriber<StreamDispatch> stream(DispatchRequest request) {
    return dispatcher().stream(request).subscribe().withSubscriber(UniAssertSubscriber.create());
  }

  static ProviderException serverError(int status) {
    return new ProviderException(
        ProviderException.Kind.SERVER_ERROR, "p", status, null, "upstream " + status);
  }

  static DispatchFailedException failure(UniAssertSubscriber<Dispatched<Completion>> answer) {
    return assertInstanceOf(DispatchFailedException.class, answer.assertFailed().getFailure());
  }

  static UpstreamQuota.Permit granted(List<String> heard, Target target) {
    String name = target.provider().name();
    heard.add(name + " reserved");
    return new UpstreamQuota.Permit() {
      @Override
      public void release() {
        heard.add(name + " released");
      }

      @Override
      public void ended() {
        heard.add(name + " ended");
      }

      @Override
      public void won() {
        heard.add(name + " won");
      }
    };
  }

  static UpstreamQuota.Permit refused(List<String> heard, Target target) {
    heard.add(target.provider().name() + " refused");
    return new UpstreamQuota.Permit() {
      @Override
      public boolean granted() {
        return false;
      }
    };
  }

  /** A provider whose every call waits until the test answers or fails it. */
  static final class Scripted implements ChatProvider {
    private final String name;
    final List<UniEmitter<? super Completion>> calls = new ArrayList<>();
    final List<UniEmitter<? super ChunkStream>> streams = new ArrayList<>();
    final List<UpstreamCall> streamed = new ArrayList<>();
    int cancelled;

    Scripted(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Uni<Completion> complete(UpstreamCall call) {
      return Uni.createFrom()
          .<Completion>emitter(calls::add)
          .onCancellation()
          .invoke(() -> cancelled++);
    }

    @Override
    public Uni<ChunkStream> stream(UpstreamCall call) {
      streamed.add(call);
      return Uni.createFrom()
          .<ChunkStream>emitter(streams::add)
          .onCancellation()
          .invoke(() -> cancelled++);
    }

    /**
     * Begins stream {@code call} with {@code head} as its first output; the rest comes from the
     * returned processor, as the test pushes it.
     */
    UnicastProcessor<ChatChunk> begin(int call, ChatChunk... head) {
      UnicastProcessor<ChatChunk> rest = UnicastProcessor.create();
      streams.get(call).complete(new ChunkStream(List.of(head), rest));
      return rest;
    }

    void answer(int call) {
      var body = JsonNodeFactory.instance.objectNode();
      body.putArray("choices")
          .addObject()
          .put("finish_reason", "stop")
          .putObject("message")
          .put("role", "assistant")
          .put("content", "answer from " + name);
      calls.get(call).complete(new Completion(body, TokenUsage.reported(5, 3)));
    }

    void fail(int call, ProviderException failure) {
      calls.get(call).fail(failure);
    }
  }

  /**
   * Breakers the test opens by hand, recording every outcome reported to them. {@code open} is seen
   * when the run picks targets; {@code refuseOnAdmit} only when the gate asks (a breaker that
   * opened in between).
   */
  static final class Breakers implements CircuitBreakers {
    final Set<String> open = new HashSet<>();
    final Set<String> refuseOnAdmit = new HashSet<>();
    final List<String> heard = new ArrayList<>();

    @Override
    public void admit(Target target, Consumer<Optional<Ticket>> decision) {
      String key = target.key();
      if (open.contains(key) || refuseOnAdmit.contains(key)) {
        decision.accept(Optional.empty());
        return;
      }
      decision.accept(
          Optional.of(
              new Ticket() {
                @Override
                public void success() {
                  heard.add(key + " success");
                }

                @Override
                public void failure(Throwable cause) {
                  heard.add(key + " failure");
                }

                @Override
                public void abandon() {
                  heard.add(key + " abandon");
                }
              }));
    }

    @Override
    public boolean isOpen(Target target) {
      return open.contains(target.key());
    }

    @Override
    public Map<String, BreakerState> states() {
      return Map.of();
    }
  }
}
