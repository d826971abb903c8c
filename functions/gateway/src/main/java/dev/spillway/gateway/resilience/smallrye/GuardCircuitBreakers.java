package dev.spillway.gateway.resilience.smallrye;

import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.routing.Target;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.util.TypeLiteral;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * {@link CircuitBreakers} on SmallRye Fault Tolerance's programmatic {@link TypedGuard}: the
 * rolling window, the failure ratio, the open delay and the half-open probes are SmallRye's.
 *
 * <p>A guard measures a call from its start to the end of the {@link Uni} it returns. An attempt's
 * verdict is known much later than the call that starts it (a stream can fail after its first
 * token, a finished answer can fail validation), so each admitted attempt is one guarded call whose
 * {@code Uni} completes only when the attempt's outcome is reported on its {@link Ticket}: every
 * attempt counts exactly once, with its true outcome.
 *
 * <p>Needs the Quarkus (CDI) implementation of SmallRye Fault Tolerance at run time. Thread-safe.
 */
public final class GuardCircuitBreakers implements CircuitBreakers {

  private static final TypeLiteral<Uni<Void>> UNI_VOID = new TypeLiteral<>() {};

  /** How breakers decide. */
  public record Settings(int requestVolume, double failureRatio, Duration delay, int successes) {}

  private final Settings settings;
  private final BiConsumer<String, BreakerState> onTransition;
  private final LongSupplier nanoClock;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  /**
   * @param onTransition told of every state change, with the breaker's name (for metrics)
   */
  public GuardCircuitBreakers(
      Settings settings, BiConsumer<String, BreakerState> onTransition, LongSupplier nanoClock) {
    this.settings = settings;
    this.onTransition = onTransition;
    this.nanoClock = nanoClock;
  }

  /** Creates the breakers of {@code target} now, so that health and metrics list them at once. */
  public void register(Target target) {
    providerBreaker(target);
    modelBreaker(target);
  }

  @Override
  public void admit(Target target, Consumer<Optional<Ticket>> decision) {
    Breaker provider = providerBreaker(target);
    Breaker model = modelBreaker(target);
    GuardedTicket ticket = new GuardedTicket();
    AtomicBoolean decided = new AtomicBoolean();
    provider
        .guard
        .get(
            () ->
                model.guard.get(
                    () ->
                        Uni.createFrom()
                            .<Void>emitter(
                                verdict -> {
                                  // Both breakers let the call in: the attempt may go.
                                  ticket.bind(verdict);
                                  if (decided.compareAndSet(false, true)) {
                                    decision.accept(Optional.of(ticket));
                                  }
                                })))
        .subscribe()
        .with(
            ignored -> {},
            failure -> {
              // Before the call ran, a failure can only be a breaker's refusal; after, it is the
              // attempt's own verdict coming back, already reported.
              if (decided.compareAndSet(false, true)) {
                decision.accept(Optional.empty());
              }
            });
  }

  @Override
  public boolean isOpen(Target target) {
    return providerBreaker(target).refusing() || modelBreaker(target).refusing();
  }

  @Override
  public Map<String, BreakerState> states() {
    Map<String, BreakerState> states = new TreeMap<>();
    breakers.forEach((name, breaker) -> states.put(name, breaker.state));
    return states;
  }

  private Breaker providerBreaker(Target target) {
    return breakers.computeIfAbsent(target.provider().name(), this::newBreaker);
  }

  private Breaker modelBreaker(Target target) {
    return breakers.computeIfAbsent(target.key(), this::newBreaker);
  }

  private Breaker newBreaker(String name) {
    Breaker breaker = new Breaker();
    breaker.guard =
        TypedGuard.create(UNI_VOID)
            .withDescription("upstream " + name)
            .withCircuitBreaker()
            .name("spillway-" + name)
            .requestVolumeThreshold(settings.requestVolume())
            .failureRatio(settings.failureRatio())
            .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
            .successThreshold(settings.successes())
            .when(GuardCircuitBreakers::countsAgainstTarget)
            .onStateChange(state -> breaker.transition(name, state))
            .done()
            .withThreadOffload(false)
            .build();
    return breaker;
  }

  /** What a breaker holds against its target. */
  static boolean countsAgainstTarget(Throwable failure) {
    if (failure instanceof ProviderException provider) {
      return provider.kind() != ProviderException.Kind.CLIENT_ERROR;
    }
    // An inner (model) breaker refusing is not a failure of the provider.
    return !(failure instanceof CircuitBreakerOpenException || failure instanceof Abandoned);
  }

  /** One breaker and the state it last announced. */
  private final class Breaker {
    TypedGuard<Uni<Void>> guard;
    volatile BreakerState state = BreakerState.CLOSED;
    volatile long openedAt;

    void transition(String name, CircuitBreakerState to) {
      BreakerState next =
          switch (to) {
            case CLOSED -> BreakerState.CLOSED;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case OPEN -> BreakerState.OPEN;
          };
      if (next == BreakerState.OPEN) {
        openedAt = nanoClock.getAsLong();
      }
      BreakerState previous = state;
      state = next;
      Log.infof("circuit breaker %s: %s -> %s", name, previous, next);
      onTransition.accept(name, next);
    }

    /** Open, and not yet due for a half-open probe. */
    boolean refusing() {
      return state == BreakerState.OPEN
          && nanoClock.getAsLong() - openedAt < settings.delay().toNanos();
    }
  }

  /** Completes the guarded call with the attempt's verdict. */
  private static final class GuardedTicket implements Ticket {
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile UniEmitter<? super Void> verdict;

    void bind(UniEmitter<? super Void> emitter) {
      verdict = emitter;
    }

    boolean bound() {
      return verdict != null;
    }

    @Override
    public void success() {
      if (reported.compareAndSet(false, true)) {
        verdict.complete(null);
      }
    }

    @Override
    public void failure(Throwable cause) {
      if (reported.compareAndSet(false, true)) {
        verdict.fail(cause);
      }
    }

    @Override
    public void abandon() {
      if (reported.compareAndSet(false, true)) {
        verdict.fail(Abandoned.INSTANCE);
      }
    }
  }

  /** The verdict of an abandoned attempt: not held against the target. */
  private static final class Abandoned extends RuntimeException {
    static final Abandoned INSTANCE = new Abandoned();

    private Abandoned() {
      super("attempt abandoned", null, false, false);
    }
  }
}
