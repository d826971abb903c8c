package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.resilience.Admission;
import dev.spillway.gateway.resilience.CircuitBreakers;
import dev.spillway.gateway.resilience.Permit;
import dev.spillway.gateway.routing.Target;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The checks one attempt passes before it is sent, in this order: the caller's share of the
 * provider account (decided at once, so a refused caller never waits in a queue), the provider's
 * concurrency limit (may queue, by priority), and the target's breakers (last, so a half-open probe
 * is spent only on an attempt that will really go).
 *
 * <p>What passes is one {@link AttemptPermit} holding all three; what does not is a {@link
 * ProviderException} that the run treats like any failed attempt (the next target is tried). A
 * refusal gives back what the checks before it took, and so does a pass cancelled half-way.
 */
final class AttemptGate {

  /** How the gate answered: open with the permit, or shut with the reason. */
  sealed interface Passage {
    record Open(AttemptPermit permit) implements Passage {}

    record Shut(ProviderException reason) implements Passage {}
  }

  private final Dispatcher dispatcher;

  AttemptGate(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /**
   * Asks for one attempt on {@code target}. {@code then} runs once on the request's event loop,
   * unless the returned handle is cancelled first; cancelling releases whatever was granted so far.
   * Must be called on the request's event loop.
   */
  Cancellable pass(DispatchRequest request, Target target, Consumer<Passage> then) {
    Pass pass = new Pass(request, target, then);
    pass.start();
    return pass;
  }

  /** One pass through the gate, confined to the request's event loop. */
  private final class Pass implements Cancellable {
    private final DispatchRequest request;
    private final Target target;
    private final Consumer<Passage> then;
    private Cancellable queued;

    /** The account reservation until a permit holds it or it is given back; null after. */
    private UpstreamQuota.Permit account;

    /** Answered or cancelled: nothing more is delivered, and late grants are given back. */
    private boolean over;

    Pass(DispatchRequest request, Target target, Consumer<Passage> then) {
      this.request = request;
      this.target = target;
      this.then = then;
    }

    void start() {
      account = request.quota().reserve(target);
      if (!account.granted()) {
        // The caller's share of the provider account is used up: nothing is sent (no upstream 429).
        dispatcher.metrics().rejected(target.provider().name(), "ACCOUNT_QUOTA");
        deliver(new Passage.Shut(accountFull(account.retryAfter())));
        return;
      }
      queued =
          dispatcher
              .admission(target)
              .acquire(request.tier(), request.deadlineNanos())
              .subscribe()
              .with(
                  decision -> request.loop().execute(() -> admitted(decision)),
                  failure ->
                      request
                          .loop()
                          .execute(
                              () -> {
                                giveBackAccount();
                                deliver(
                                    new Passage.Shut(
                                        new ProviderException(
                                            ProviderException.Kind.OVERLOADED,
                                            target.provider().name(),
                                            "admission failed: "
                                                + failure.getClass().getSimpleName())));
                              }));
    }

    private void admitted(Admission decision) {
      if (decision instanceof Admission.Rejected rejected) {
        giveBackAccount();
        dispatcher.metrics().rejected(target.provider().name(), rejected.reason().name());
        deliver(new Passage.Shut(atLimit(rejected)));
        return;
      }
      Permit slot = ((Admission.Granted) decision).permit();
      if (over) {
        slot.ignore();
        giveBackAccount();
        return;
      }
      dispatcher
          .breakers()
          .admit(target, ticket -> request.loop().execute(() -> breakerDecided(slot, ticket)));
    }

    private void breakerDecided(Permit slot, Optional<CircuitBreakers.Ticket> ticket) {
      if (ticket.isEmpty()) {
        slot.ignore();
        giveBackAccount();
        deliver(new Passage.Shut(dispatcher.circuitOpen(target)));
        return;
      }
      AttemptPermit permit = new AttemptPermit(account, slot, ticket.get());
      account = null; // the permit holds it now
      if (over) {
        permit.unused();
        return;
      }
      deliver(new Passage.Open(permit));
    }

    /** Releases the account reservation unless it was released or handed to a permit already. */
    private void giveBackAccount() {
      if (account != null) {
        account.release();
        account = null;
      }
    }

    private void deliver(Passage passage) {
      if (over) {
        return;
      }
      over = true;
      then.accept(passage);
    }

    @Override
    public void cancel() {
      if (over) {
        return;
      }
      over = true;
      if (queued != null) {
        queued.cancel();
      }
      // Waiting for a concurrency slot: the account reservation would otherwise stay held until
      // its expiry. (A slot or ticket granted after this is given back when it arrives.)
      giveBackAccount();
    }

    private ProviderException accountFull(Duration retryAfter) {
      return new ProviderException(
          ProviderException.Kind.RATE_LIMITED,
          target.provider().name(),
          0, // no request was sent: the gateway decided
          retryAfter,
          "the provider account of "
              + target.provider().name()
              + " is at its rate limit for this caller (decided by the gateway, nothing sent)");
    }

    private ProviderException atLimit(Admission.Rejected rejected) {
      return new ProviderException(
          ProviderException.Kind.OVERLOADED,
          target.provider().name(),
          0,
          rejected.retryAfter(),
          target.provider().name()
              + " is at its concurrency limit ("
              + rejected.reason().name().toLowerCase(Locale.ROOT)
              + ")");
    }
  }
}
