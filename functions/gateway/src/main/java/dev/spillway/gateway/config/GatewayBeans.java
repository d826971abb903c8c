package dev.spillway.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEventSender;
import dev.spillway.events.QuerySampledEvent;
import dev.spillway.events.UsageRecordedEvent;
import dev.spillway.gateway.accounting.GatewayMetrics;
import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.api.ChatRequestReader;
import dev.spillway.gateway.api.ErrorResponses;
import dev.spillway.gateway.api.RequestAuthenticator;
import dev.spillway.gateway.auth.ApiKeyAuthenticator;
import dev.spillway.gateway.auth.ApiKeyHasher;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.dispatch.DispatchMetrics;
import dev.spillway.gateway.dispatch.Dispatcher;
import dev.spillway.gateway.drift.QuerySampler;
import dev.spillway.gateway.drift.SampleRates;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.anthropic.AnthropicProvider;
import dev.spillway.gateway.provider.openai.OpenAiProvider;
import dev.spillway.gateway.provider.transport.UpstreamHttp;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.resilience.AdmissionController;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.CircuitBreakers.BreakerState;
import dev.spillway.gateway.resilience.LatencyTracker;
import dev.spillway.gateway.resilience.RetryBudget;
import dev.spillway.gateway.resilience.Scheduler;
import dev.spillway.gateway.resilience.aimd.AimdLimit;
import dev.spillway.gateway.resilience.smallrye.GuardCircuitBreakers;
import dev.spillway.gateway.resilience.vertx.VertxScheduler;
import dev.spillway.gateway.routing.AccountFieldPolicy;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteRules;
import dev.spillway.gateway.routing.RouteTable;
import dev.spillway.gateway.routing.RoutingPolicy;
import dev.spillway.gateway.routing.Target;
import dev.spillway.gateway.routing.quality.DegradedCategories;
import dev.spillway.gateway.routing.quality.QualityFloorPolicy;
import dev.spillway.gateway.validation.SchemaCache;
import dev.spillway.gateway.validation.ValidationPolicy;
import dev.spillway.usage.Price;
import dev.spillway.usage.TokenCounter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds the gateway's plain-Java parts from {@link GatewayConfig}: this is the only class that
 * knows both CDI and the domain, so everything else is constructible in a unit test.
 */
@Singleton
// Event payloads are serialized by Jackson reflection, which native images must allow.
@RegisterForReflection(
    targets = {
      UsageRecordedEvent.class,
      QuerySampledEvent.class,
      dev.spillway.events.RoutingDegradedEvent.class,
      dev.spillway.quota.feedback.FeedbackRequest.class,
      dev.spillway.quota.feedback.FeedbackResponse.class,
      dev.spillway.quota.feedback.RoutingQualityResponse.class,
      dev.spillway.quota.feedback.CategoryQuality.class
    })
public class GatewayBeans {

  /** Stops the start, listing every problem by key; whichever bean is built first calls it. */
  static void validate(GatewayConfig config) {
    List<String> problems = new GatewayConfigValidator().problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Invalid gateway configuration:\n  - " + String.join("\n  - ", problems));
    }
  }

  @Produces
  @Singleton
  Providers providers(GatewayConfig config, Vertx vertx, ObjectMapper mapper) {
    validate(config);
    Map<String, ChatProvider> byName = new HashMap<>();
    List<UpstreamHttp> transports = new ArrayList<>();
    config
        .providers()
        .forEach(
            (name, p) -> {
              UpstreamHttp http =
                  new UpstreamHttp(
                      vertx,
                      name,
                      p.baseUrl(),
                      p.connectTimeout(),
                      p.idleTimeout(),
                      p.maxConnections(),
                      mapper);
              transports.add(http);
              ChatProvider provider =
                  switch (p.kind()) {
                    case OPENAI -> new OpenAiProvider(http, mapper, p.apiKey());
                    case ANTHROPIC ->
                        new AnthropicProvider(
                            http,
                            mapper,
                            p.apiKey(),
                            p.anthropicVersion(),
                            config.limits().defaultMaxTokens());
                  };
              byName.put(name, provider);
              Log.infof("provider %s: %s at %s", name, p.kind(), p.baseUrl());
            });
    return new Providers(Map.copyOf(byName), List.copyOf(transports));
  }

  void closeProviders(@Disposes Providers providers) {
    providers.transports().forEach(UpstreamHttp::close);
  }

  @Produces
  @Singleton
  RouteTable routes(GatewayConfig config, Providers providers, Vertx vertx, ObjectMapper mapper) {
    validate(config);
    List<Route> routes = new ArrayList<>();
    config
        .routes()
        .forEach(
            (name, route) -> {
              List<Target> targets = new ArrayList<>();
              for (GatewayConfig.TargetConfig t : route.targets()) {
                targets.add(
                    new Target(
                        providers.byName().get(t.provider()),
                        t.model(),
                        Price.perMillion(t.inputUsdPerMtok(), t.outputUsdPerMtok())));
              }
              routes.add(
                  new Route(
                      name,
                      targets,
                      rules(config, route),
                      AutoRoutes.of(name, route, vertx.getDelegate(), mapper)));
            });
    return new RouteTable(routes);
  }

  /** A route's rules: its own settings where it has them, the gateway's defaults elsewhere. */
  static RouteRules rules(GatewayConfig config, GatewayConfig.RouteConfig route) {
    GatewayConfig.Deadlines deadlines = config.deadlines();
    GatewayConfig.Hedge hedge = config.hedge();
    GatewayConfig.Validation validation = config.validation();
    GatewayConfig.ValidationOverrides own = route.validation();
    return new RouteRules(
        route.deadlines().firstToken().orElse(deadlines.firstToken()),
        route.deadlines().stall().orElse(deadlines.stall()),
        route.deadlines().total().orElse(deadlines.total()),
        new RouteRules.Hedge(
            route.hedge().mode().orElse(hedge.mode()),
            route.hedge().delay().orElse(hedge.delay()),
            hedge.quantile(),
            hedge.minDelay()),
        route.midStreamRecovery(),
        new ValidationPolicy(
            own.emptyContent().orElse(validation.emptyContent()),
            own.minLengthTokens().orElse(validation.minLengthTokens()),
            own.json().orElse(validation.json()),
            own.repetition().orElse(validation.repetition()),
            own.requireUsage().orElse(validation.requireUsage())),
        own.bufferJsonStreams().orElse(validation.bufferJsonStreams()),
        new AccountFieldPolicy(route.allowedAccountFields().orElse(Set.of())));
  }

  /**
   * Builds the dispatcher (and with it every breaker, limiter and gauge) at start-up rather than on
   * the first request, which would otherwise pay for it.
   */
  void eagerly(@Observes StartupEvent started, Dispatcher dispatcher) {
    Log.debugf("dispatcher ready: %s", dispatcher);
  }

  @Produces
  @Singleton
  Scheduler scheduler(Vertx vertx) {
    return new VertxScheduler(vertx.getDelegate());
  }

  @Produces
  @Singleton
  CircuitBreakers circuitBreakers(GatewayConfig config, RouteTable routes, MeterRegistry registry) {
    GatewayConfig.Breaker breaker = config.breaker();
    GuardCircuitBreakers breakers =
        new GuardCircuitBreakers(
            new GuardCircuitBreakers.Settings(
                breaker.requestVolume(),
                breaker.failureRatio(),
                breaker.delay(),
                breaker.successThreshold()),
            (name, state) ->
                registry
                    .counter(
                        "spillway.breaker.transitions",
                        "breaker",
                        name,
                        "state",
                        state.name().toLowerCase(Locale.ROOT))
                    .increment(),
            System::nanoTime);
    routes.all().forEach(route -> route.targets().forEach(breakers::register));
    breakers
        .states()
        .keySet()
        .forEach(
            name ->
                Gauge.builder(
                        "spillway.breaker.state",
                        breakers,
                        b -> b.states().getOrDefault(name, BreakerState.CLOSED).ordinal())
                    .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
                    .tag("breaker", name)
                    .register(registry));
    return breakers;
  }

  @Produces
  @Singleton
  SchemaCache schemaCache(GatewayConfig config) {
    return new SchemaCache(config.validation().schemaCacheSize());
  }

  @Produces
  @Singleton
  RequestAuthenticator requestAuthenticator(ApiKeyAuthenticator staticKeys, QuotaRuntime quota) {
    return new RequestAuthenticator(staticKeys, quota);
  }

  @Produces
  @Singleton
  ChatRequestReader chatRequestReader(ObjectMapper mapper, RouteTable routes, SchemaCache schemas) {
    return new ChatRequestReader(mapper, routes, schemas);
  }

  @Produces
  @Singleton
  Dispatcher dispatcher(
      GatewayConfig config,
      SchemaCache schemas,
      CircuitBreakers breakers,
      Scheduler scheduler,
      UsageAccountant accountant,
      MeterRegistry registry,
      Providers providers) {
    GatewayConfig.Concurrency concurrency = config.concurrency();
    GatewayConfig.Retry retry = config.retry();
    AimdLimit.Config limits =
        AimdLimit.Config.DEFAULTS
            .withInitialLimit(concurrency.initialLimit())
            .withMinLimit(concurrency.minLimit())
            .withMaxLimit(concurrency.maxLimit())
            .withTimeout(concurrency.dropTimeout());
    Dispatcher dispatcher =
        new Dispatcher(
            breakers,
            config.breaker().delay(),
            provider ->
                new AdmissionController(
                    provider,
                    new AimdLimit(limits),
                    concurrency.maxQueue(),
                    concurrency.maxQueueWait(),
                    scheduler),
            () ->
                new RetryBudget(
                    retry.budgetRatio(),
                    retry.budgetMinPerSecond(),
                    retry.budgetWindow(),
                    System::nanoTime),
            LatencyTracker::new,
            scheduler,
            new Dispatcher.Settings(
                retry.maxAttemptsPerTarget(),
                retry.backoffBase(),
                retry.backoffMax(),
                retry.maxRetryAfter(),
                config.validation().maxConstrainedAttempts()),
            new DispatchMetrics(registry, config.metrics().tenantLabel()),
            accountant,
            schemas);
    // Admission controllers exist from the start, so their gauges do too.
    for (ChatProvider provider : providers.byName().values()) {
      AdmissionController admission = dispatcher.admission(provider.name());
      Tags tags = Tags.of("provider", provider.name());
      Gauge.builder("spillway.admission.limit", admission, AdmissionController::limit)
          .description("The provider's adaptive concurrency limit")
          .tags(tags)
          .register(registry);
      Gauge.builder("spillway.admission.in_flight", admission, AdmissionController::inFlight)
          .description("Upstream requests holding a permit")
          .tags(tags)
          .register(registry);
      Gauge.builder("spillway.admission.queued", admission, AdmissionController::queued)
          .description("Requests waiting for a permit")
          .tags(tags)
          .register(registry);
    }
    return dispatcher;
  }

  @Produces
  @Singleton
  ApiKeyAuthenticator authenticator(GatewayConfig config) {
    Map<String, Caller> callers = new HashMap<>();
    config
        .keys()
        .forEach(
            (hash, key) -> callers.put(hash, new Caller(key.tenant(), key.feature(), key.tier())));
    if (callers.isEmpty()) {
      Log.warn("no API keys are configured (gateway.keys): every chat request will get 401");
    }
    return new ApiKeyAuthenticator(new ApiKeyHasher(), callers);
  }

  @Produces
  @Singleton
  RoutingPolicy routingPolicy(
      CircuitBreakers breakers, MeterRegistry registry, DegradedCategories degraded) {
    return new QualityFloorPolicy(breakers, registry, degraded);
  }

  @Produces
  @Singleton
  ErrorResponses errorResponses() {
    return new ErrorResponses();
  }

  @Produces
  @Singleton
  TokenCounter tokenCounter() {
    return new TokenCounter();
  }

  /**
   * How long after start the BPE encodings begin to load. A cold start (Lambda, Knative scaling
   * from zero) is a user waiting for the first answer: on one or two cores half a second of loading
   * beside the start and the first request slows both, so it waits until they are done.
   */
  static final Duration TOKENIZER_WARM_UP_DELAY = Duration.ofSeconds(2);

  /**
   * Loads the BPE encodings in the background, {@link #TOKENIZER_WARM_UP_DELAY} after start. Until
   * it is done, admission reserves an upper bound and counting runs on a worker (see {@link
   * TokenCounter#upperBoundPrompt}), so neither readiness nor a request waits for it.
   */
  void warmUpTokenizer(@Observes StartupEvent started, TokenCounter counter) {
    Thread warmUp =
        new Thread(
            () -> {
              try {
                Thread.sleep(TOKENIZER_WARM_UP_DELAY.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              counter.warmUp();
            },
            "tokenizer-warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  @Produces
  @Singleton
  Optional<CloudEventSender> eventSender(
      GatewayConfig config, Vertx vertx, ObjectMapper mapper, MeterRegistry registry) {
    Optional<CloudEventSender> sender =
        config
            .events()
            .sink()
            .map(
                sink ->
                    CloudEventSender.forSink(
                        vertx.getDelegate(),
                        sink,
                        mapper,
                        config.events().maxInFlight(),
                        (int) config.events().timeout().toMillis()));
    sender.ifPresentOrElse(
        s -> {
          FunctionCounter.builder("spillway.events.sent", s, CloudEventSender::sentCount)
              .description("Usage events the sink accepted")
              .register(registry);
          FunctionCounter.builder("spillway.events.dropped", s, CloudEventSender::droppedCount)
              .description("Usage events lost: sink down, non-2xx, or too many in flight")
              .register(registry);
          Log.infof("usage events go to %s", config.events().sink().get());
        },
        () -> Log.info("no event sink (gateway.events.sink / K_SINK): usage events are off"));
    return sender;
  }

  void closeEventSender(@Disposes Optional<CloudEventSender> sender) {
    sender.ifPresent(CloudEventSender::close);
  }

  @Produces
  @Singleton
  UsageAccountant accountant(
      TokenCounter tokens,
      Vertx vertx,
      MeterRegistry registry,
      Optional<CloudEventSender> events,
      GatewayConfig config,
      ObjectMapper mapper) {
    return new UsageAccountant(
        tokens,
        count -> vertx.executeBlocking(Uni.createFrom().item(count), false),
        new GatewayMetrics(registry, config.metrics().tenantLabel()),
        events,
        config.events().source(),
        mapper);
  }

  /**
   * Where query samples go: their own sender (even when the sink is the usage events' one), so that
   * samples and usage events have separate in-flight bounds and counters.
   */
  @Produces
  @Singleton
  DriftEvents driftEvents(
      GatewayConfig config, Vertx vertx, ObjectMapper mapper, MeterRegistry registry) {
    validate(config);
    GatewayConfig.Drift drift = config.drift();
    SampleRates rates = SampleRates.of(drift.sampleRate(), drift.sampleRates());
    if (!rates.samplesAnything()) {
      Log.info("drift sampling is off (gateway.drift.sample-rate and sample-rates are 0)");
      return new DriftEvents(rates, Optional.empty());
    }
    Optional<URI> sink = drift.sink().or(() -> config.events().sink());
    if (sink.isEmpty()) {
      Log.warn(
          "gateway.drift sample rates are set but there is no sink (gateway.drift.sink,"
              + " GATEWAY_DRIFT_SINK, or gateway.events.sink / K_SINK): nothing is sampled");
      return new DriftEvents(SampleRates.none(), Optional.empty());
    }
    CloudEventSender sender =
        CloudEventSender.forSink(
            vertx.getDelegate(),
            sink.get(),
            mapper,
            config.events().maxInFlight(),
            (int) config.events().timeout().toMillis());
    FunctionCounter.builder("spillway.drift.samples", sender, CloudEventSender::sentCount)
        .description("Query samples for drift scoring, by delivery outcome")
        .tag("outcome", "sent")
        .register(registry);
    FunctionCounter.builder("spillway.drift.samples", sender, CloudEventSender::droppedCount)
        .description("Query samples for drift scoring, by delivery outcome")
        .tag("outcome", "dropped")
        .register(registry);
    Log.infof(
        "drift samples go to %s (default rate %s, %d tenant/feature overrides)",
        sink.get(), drift.sampleRate(), drift.sampleRates().size());
    return new DriftEvents(rates, Optional.of(sender));
  }

  void closeDriftEvents(@Disposes DriftEvents events) {
    events.sender().ifPresent(CloudEventSender::close);
  }

  @Produces
  @Singleton
  QuerySampler querySampler(DriftEvents events, GatewayConfig config, ObjectMapper mapper) {
    return events
        .sender()
        .map(
            sender ->
                new QuerySampler(
                    events.rates(),
                    () -> ThreadLocalRandom.current().nextDouble(),
                    sender::send,
                    config.events().source(),
                    mapper))
        .orElse(QuerySampler.off());
  }

  /** The sampling rates, and the sender of query samples when sampling is on. */
  public record DriftEvents(SampleRates rates, Optional<CloudEventSender> sender) {}

  /** The providers by name, and their transports to close at shutdown. */
  public record Providers(Map<String, ChatProvider> byName, List<UpstreamHttp> transports) {}
}
