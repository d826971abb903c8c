package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.accounting.UsageAccountant;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.resilience.AdmissionController;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.LatencyTracker;
import dev.spillway.gateway.resilience.RetryBudget;
import dev.spillway.gateway.resilience.Scheduler;
import dev.spillway.gateway.routing.RouteRules;
import dev.spillway.gateway.routing.Target;
import dev.spillway.gateway.validation.ResponseValidator;
import dev.spillway.gateway.validation.SchemaCache;
import dev.spillway.gateway.validation.StreamValidation;
import dev.spillway.gateway.validation.ValidationPolicy;
import dev.spillway.gateway.validation.Violation;
import dev.spillway.openai.InvalidRequestException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends requests upstream and survives the providers' failures: fallback along a route's targets,
 * circuit breakers, retries within a per-provider budget, hedging, deadlines, admission control,
 * response validation, and (for streams) stall detection and mid-stream recovery.
 *
 * <p>A target has answered when its output has begun (the first output chunk of a stream, or a
 * whole non-streaming completion) and passed validation; until then nothing has reached the client,
 * so any failure that is the provider's fault moves on. A client error stops at once: every target
 * would refuse it.
 *
 * <p>Holds what outlives a request, per provider or target: breakers, budgets, admission, observed
 * latencies. Thread-safe; each request's race runs confined to its event loop ({@link
 * DispatchRun}).
 */
public final class Dispatcher {

  /**
   * Retry settings.
   *
   * @param maxAttemptsPerTarget attempts on one target before moving on
   * @param backoffBase first backoff; doubles per retry, full jitter
   * @param backoffMax largest backoff
   * @param maxRetryAfter the longest upstream Retry-After waited out on the same target
   * @param maxConstrainedAttempts answers that failed the client's own constraints (its schema,
   *     stop sequences, max_tokens) after which the request ends with a 422 instead of trying more
   *     targets
   */
  public record Settings(
      int maxAttemptsPerTarget,
      Duration backoffBase,
      Duration backoffMax,
      Duration maxRetryAfter,
      int maxConstrainedAttempts) {}

  private final CircuitBreakers breakers;
  private final Duration breakerDelay;
  private final Function<String, AdmissionController> newAdmission;
  private final Supplier<RetryBudget> newBudget;
  private final Supplier<LatencyTracker> newTracker;
  private final Scheduler scheduler;
  private final Settings settings;
  private final DispatchMetrics metrics;
  private final UsageAccountant accountant;
  private final Map<String, AdmissionController> admissions = new ConcurrentHashMap<>();
  private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();
  private final Map<String, LatencyTracker> latencies = new ConcurrentHashMap<>();
  private final Map<ValidationPolicy, ResponseValidator> validators = new ConcurrentHashMap<>();
  private final SchemaCache schemas;
  private final Mode<Completion> completeMode = new CompleteMode();
  private final Mode<ChunkStream> streamMode = new StreamMode();
  private final AttemptGate gate = new AttemptGate(this);

  /**
   * @param breakerDelay how long an open breaker stays open: the Retry-After when all are open
   * @param newAdmission makes the admission controller of a provider, by name
   * @param newBudget makes a provider's retry budget
   * @param newTracker makes a target's latency tracker
   * @param schemas compiled response schemas, shared with the parse stage that refused the bad ones
   */
  public Dispatcher(
      CircuitBreakers breakers,
      Duration breakerDelay,
      Function<String, AdmissionController> newAdmission,
      Supplier<RetryBudget> newBudget,
      Supplier<LatencyTracker> newTracker,
      Scheduler scheduler,
      Settings settings,
      DispatchMetrics metrics,
      UsageAccountant accountant,
      SchemaCache schemas) {
    this.schemas = schemas;
    this.breakers = breakers;
    this.breakerDelay = breakerDelay;
    this.newAdmission = newAdmission;
    this.newBudget = newBudget;
    this.newTracker = newTracker;
    this.scheduler = scheduler;
    this.settings = settings;
    this.metrics = metrics;
    this.accountant = accountant;
  }

  /** Dispatches a non-streaming request. Fails with {@link DispatchFailedException}. */
  public Uni<Dispatched<Completion>> complete(DispatchRequest request) {
    return race(request, completeMode, false)
        .map(won -> new Dispatched<>(won.result(), won.attempt().target, won.attempts()));
  }

  /** Dispatches a streaming request. Fails with {@link DispatchFailedException}. */
  public Uni<StreamDispatch> stream(DispatchRequest request) {
    return race(request, streamMode, false)
        .map(
            won -> {
              ResilientStream rest = new ResilientStream(this, request, won);
              return new StreamDispatch(
                  won.result().head(),
                  Multi.createFrom().publisher(rest),
                  won.attempt().target,
                  won.attempts(),
                  rest);
            });
  }

  /** Races a continuation of a broken stream (mid-stream recovery). */
  Uni<DispatchRun.Won<ChunkStream>> continuation(DispatchRequest request) {
    return race(request, streamMode, true);
  }

  private <T> Uni<DispatchRun.Won<T>> race(
      DispatchRequest request, Mode<T> mode, boolean continuation) {
    return Uni.createFrom()
        .emitter(
            emitter ->
                request
                    .loop()
                    .execute(
                        () ->
                            new DispatchRun<>(this, request, mode, continuation, emitter).start()));
  }

  /** The admission controller of a provider, by its configured name. */
  public AdmissionController admission(String provider) {
    return admissions.computeIfAbsent(provider, newAdmission);
  }

  AdmissionController admission(Target target) {
    return admission(target.provider().name());
  }

  /** Admission controllers by provider, for metrics and health. */
  public Map<String, AdmissionController> admissions() {
    return Map.copyOf(admissions);
  }

  RetryBudget budget(Target target) {
    return budgets.computeIfAbsent(target.provider().name(), ignored -> newBudget.get());
  }

  LatencyTracker latency(Target target, Mode<?> mode) {
    return latencies.computeIfAbsent(
        target.key() + (mode.streaming() ? " stream" : " complete"), ignored -> newTracker.get());
  }

  /** How long the run waits before hedging an attempt on {@code target}. */
  Duration hedgeDelay(Target target, RouteRules.Hedge hedge, Mode<?> mode) {
    if (hedge.mode() == RouteRules.HedgeMode.FIXED) {
      return hedge.delay();
    }
    OptionalLong observed = latency(target, mode).quantileNanos(hedge.quantile());
    if (observed.isEmpty()) {
      return hedge.delay();
    }
    return Duration.ofNanos(Math.max(hedge.minDelay().toNanos(), observed.getAsLong()));
  }

  /** Runs {@code task} on the request's event loop after {@code delay}. */
  Cancellable onLoopAfter(DispatchRequest request, Duration delay, Runnable task) {
    return scheduler.schedule(delay, () -> request.loop().execute(task));
  }

  ResponseValidator validator(ValidationPolicy policy) {
    return validators.computeIfAbsent(policy, p -> new ResponseValidator(p, schemas));
  }

  AttemptGate gate() {
    return gate;
  }

  /** The failure of an attempt that was not sent because a breaker of its target is open. */
  ProviderException circuitOpen(Target target) {
    return new ProviderException(
        ProviderException.Kind.CIRCUIT_OPEN,
        target.provider().name(),
        0,
        breakerDelay,
        "the circuit breaker of " + target.key() + " is open");
  }

  CircuitBreakers breakers() {
    return breakers;
  }

  Scheduler scheduler() {
    return scheduler;
  }

  Settings settings() {
    return settings;
  }

  DispatchMetrics metrics() {
    return metrics;
  }

  UsageAccountant accountant() {
    return accountant;
  }

  /** Turns any failure of an attempt into a classified provider failure. */
  static ProviderException asProviderFailure(Throwable failure, Target target) {
    if (failure instanceof ProviderException provider) {
      return provider;
    }
    if (failure instanceof InvalidRequestException invalid) {
      // A request this target's dialect cannot express: the client's to fix, as a 400 would be.
      return new ProviderException(
          ProviderException.Kind.CLIENT_ERROR,
          target.provider().name(),
          400,
          null,
          invalid.getMessage());
    }
    // A bug in a provider adapter must not take the request down with it while others may serve.
    Log.warnf(failure, "provider %s failed unexpectedly", target.provider().name());
    return new ProviderException(
        ProviderException.Kind.INVALID_RESPONSE,
        target.provider().name(),
        "provider " + target.provider().name() + " failed unexpectedly");
  }

  /** The failure of an answer that broke a validation rule, counted in the route's metrics. */
  ProviderException invalid(DispatchRequest request, Target target, Violation violation) {
    metrics.validationFailed(request.route(), violation.rule().label());
    if (violation.byClientConstraint()) {
      metrics.constrained(request.route(), request.tenant(), violation.clientConstraint());
      return ProviderException.underClientConstraint(
          target.provider().name(),
          violation.clientConstraint(),
          "the answer could not satisfy the request's "
              + violation.clientConstraint()
              + ": "
              + violation.detail());
    }
    return new ProviderException(
        ProviderException.Kind.INVALID_RESPONSE,
        target.provider().name(),
        200,
        null,
        target.provider().name() + " answered 200 with an invalid answer: " + violation.detail());
  }

  /** What differs between a non-streaming and a streaming race. */
  interface Mode<T> {
    boolean streaming();

    Uni<T> call(ChatProvider provider, UpstreamCall call);

    /**
     * Validates a fresh answer before it may win; fails with an {@code INVALID_RESPONSE} {@link
     * ProviderException}. A stream whose verdict needs its end is read whole first.
     */
    Uni<T> vet(T answer, Attempt attempt, DispatchRequest request, boolean continuation);

    /** Releases an answer that lost the race. */
    void discard(T answer);
  }

  private final class CompleteMode implements Mode<Completion> {
    @Override
    public boolean streaming() {
      return false;
    }

    @Override
    public Uni<Completion> call(ChatProvider provider, UpstreamCall call) {
      return provider.complete(call);
    }

    @Override
    public Uni<Completion> vet(
        Completion answer, Attempt attempt, DispatchRequest request, boolean continuation) {
      Optional<Violation> violation =
          validator(request.rules().validation()).check(request.request(), answer);
      return violation.isPresent()
          ? Uni.createFrom().failure(invalid(request, attempt.target, violation.get()))
          : Uni.createFrom().item(answer);
    }

    @Override
    public void discard(Completion answer) {}
  }

  private final class StreamMode implements Mode<ChunkStream> {
    @Override
    public boolean streaming() {
      return true;
    }

    @Override
    public Uni<ChunkStream> call(ChatProvider provider, UpstreamCall call) {
      return provider.stream(call);
    }

    /**
     * Streams in JSON modes (when the route buffers them) and streams whose head already carries
     * the finish are read whole and validated before they may win: their verdict needs the end, and
     * until the client has a byte a bad answer can still fall back.
     */
    @Override
    public Uni<ChunkStream> vet(
        ChunkStream answer, Attempt attempt, DispatchRequest request, boolean continuation) {
      RouteRules rules = request.rules();
      boolean json =
          rules.bufferJsonStreams()
              && rules.validation().json()
              && request.request().responseFormat().wantsJson();
      ChatChunk last = answer.head().get(answer.head().size() - 1);
      boolean endsInHead = !continuation && last.finishReason() != null;
      if (!json && !endsInHead) {
        return Uni.createFrom().item(answer);
      }
      Duration stall = rules.stall();
      return answer
          .rest()
          .ifNoItem()
          .after(stall)
          .failWith(
              () ->
                  new ProviderException(
                      ProviderException.Kind.TIMEOUT,
                      attempt.target.provider().name(),
                      attempt.target.provider().name()
                          + " stalled for "
                          + stall.toMillis()
                          + " ms"))
          .collect()
          .asList()
          .flatMap(
              rest -> {
                List<ChatChunk> all = new ArrayList<>(answer.head());
                all.addAll(rest);
                StreamValidation validation =
                    validator(rules.validation()).start(request.request());
                for (ChatChunk chunk : all) {
                  Optional<Violation> violation = validation.onChunk(chunk);
                  if (violation.isPresent()) {
                    return Uni.createFrom()
                        .failure(invalid(request, attempt.target, violation.get()));
                  }
                }
                Optional<Violation> atEnd = validation.onEnd();
                if (atEnd.isPresent()) {
                  return Uni.createFrom().failure(invalid(request, attempt.target, atEnd.get()));
                }
                return Uni.createFrom().item(new ChunkStream(all, Multi.createFrom().empty()));
              });
    }

    @Override
    public void discard(ChunkStream answer) {
      answer.rest().subscribe().with(ignored -> {}).cancel();
    }
  }
}
