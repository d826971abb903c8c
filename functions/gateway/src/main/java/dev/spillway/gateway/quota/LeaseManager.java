package dev.spillway.gateway.quota;

import dev.spillway.quota.Dimension;
import dev.spillway.quota.ResourceId;
import dev.spillway.quota.allowance.Allowance;
import dev.spillway.quota.allowance.DemandEstimator;
import dev.spillway.quota.lease.LeaseClaim;
import dev.spillway.quota.lease.LeaseGrant;
import dev.spillway.quota.lease.LeaseRequest;
import dev.spillway.quota.lease.LeaseResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Holds this gateway instance's allowances, one per (resource, client, tier), and keeps them
 * renewed: ONE batched {@code POST /leases} per renewal round carries every claim of the instance.
 *
 * <p>A round is due when a request asked for one ({@link #renewSoon()}: no lease yet, a window
 * ended, or an allowance lacked room while the budget had headroom), when an allowance runs low
 * (less left than the demand expected before the next refresh), when a window ends, or {@code
 * refresh_in_ms} after the last round at the latest. {@link #tick()} decides; the caller runs it
 * periodically (a Vert.x timer in the gateway, by hand in tests). One round runs at a time; after a
 * failed round the next waits a short backoff.
 *
 * <p>Each claim reports net use since the last successful round and asks for the demand over twice
 * the refresh interval ({@link DemandEstimator}); an idle allowance asks for 0 once, which returns
 * it, and is then left out of rounds until it is used again. A claim names its unit, the largest
 * request refused since the last round, so that the quota function grants whole requests rather
 * than slivers. Budgets the quota function does not know ({@code unknown}) are unlimited, and are
 * claimed again every {@link #DEFAULT_UNKNOWN_RECHECK} so that a budget created while gateways run
 * is enforced from then on.
 *
 * <p>Thread-safe: allowances are read on every event loop; rounds start and end on whichever thread
 * calls {@link #tick()} or completes the transport's stage.
 */
public final class LeaseManager {

  /**
   * A returned allowance unused this long is forgotten. Keys of leases come from clients (one per
   * tenant, feature and account), so without this the map would only grow.
   */
  public static final Duration DEFAULT_EVICT_AFTER = Duration.ofMinutes(10);

  /** How often a budget the quota function did not know is asked about again. */
  public static final Duration DEFAULT_UNKNOWN_RECHECK = Duration.ofSeconds(5);

  /** The most claims one {@code POST /leases} may carry (the protocol's limit). */
  static final int MAX_CLAIMS_PER_CALL = 1_000;

  /** Lowest {@code want} of a budget in use, per unit: about one request's worth. */
  private static long floor(Dimension dimension) {
    return switch (dimension) {
      case TOKENS_PER_MINUTE, TOKENS_PER_DAY -> 4_096;
      case REQUESTS_PER_MINUTE -> 10;
      case CONCURRENT_REQUESTS -> 4;
      case USD_MICROS_PER_MONTH -> 10_000;
    };
  }

  /** Connection state, for the unreachable policy and the health check. */
  public enum Connection {
    /** No round has ended yet. */
    STARTING,
    /** The last round succeeded. */
    CONNECTED,
    /** Rounds fail and at least one lease's validity has passed. */
    UNREACHABLE
  }

  /** Hears about transitions between connection states (logging, once per transition). */
  public interface Listener {
    void connection(Connection from, Connection to, String reason);

    void round(boolean succeeded, long nanos);
  }

  /** Identifies one allowance. */
  public record Key(String resource, String client, String tier) {}

  /** One allowance with what a claim needs besides it. */
  public static final class Lease {
    final Key key;
    final Dimension dimension;
    final Allowance allowance;

    /** The largest single ask refused since the last round: {@code want} must cover it. */
    final AtomicLong shortfall = new AtomicLong();

    /** Its last claim asked for 0 and it has not been used since: left out of rounds. */
    volatile boolean returned;

    /** When its last claim asked for 0 (meaningful while {@link #returned}). */
    volatile long returnedAtNanos;

    /** Dropped from the manager after a long idle: {@link #lease} makes a fresh one. */
    volatile boolean evicted;

    /** While unknown to the quota function: when to ask about it again (monotonic nanos). */
    volatile long recheckAtNanos;

    Lease(Key key, Dimension dimension, Allowance allowance) {
      this.key = key;
      this.dimension = dimension;
      this.allowance = allowance;
    }

    public Allowance allowance() {
      return allowance;
    }

    public Dimension dimension() {
      return dimension;
    }

    public Key key() {
      return key;
    }
  }

  private final String instance = UUID.randomUUID().toString();
  private final Function<LeaseRequest, CompletionStage<LeaseResponse>> transport;
  private final LongSupplier nanoClock;
  private final Listener listener;
  private final long backoffNanos;
  private final long evictAfterNanos;
  private final long unknownRecheckNanos;
  private final Map<Key, Lease> leases = new ConcurrentHashMap<>();
  private final AtomicBoolean roundInFlight = new AtomicBoolean();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private volatile boolean requested;
  private volatile long refreshNanos;
  private volatile long nextRefreshNanos;
  private volatile long notBeforeNanos;
  private volatile Connection connection = Connection.STARTING;

  /**
   * @param transport sends one lease request (the quota client's {@code lease})
   * @param nanoClock a monotonic clock
   * @param defaultRefresh the refresh interval until the quota function says its own
   * @param backoff how long to wait after a failed round before the next
   */
  public LeaseManager(
      Function<LeaseRequest, CompletionStage<LeaseResponse>> transport,
      LongSupplier nanoClock,
      Duration defaultRefresh,
      Duration backoff,
      Listener listener) {
    this(transport, nanoClock, defaultRefresh, backoff, DEFAULT_EVICT_AFTER, listener);
  }

  /**
   * @param evictAfter how long a returned, unused allowance is kept before it is forgotten
   */
  public LeaseManager(
      Function<LeaseRequest, CompletionStage<LeaseResponse>> transport,
      LongSupplier nanoClock,
      Duration defaultRefresh,
      Duration backoff,
      Duration evictAfter,
      Listener listener) {
    this(
        transport,
        nanoClock,
        defaultRefresh,
        backoff,
        evictAfter,
        DEFAULT_UNKNOWN_RECHECK,
        listener);
  }

  /**
   * @param unknownRecheck how often a budget the quota function did not know is claimed again
   */
  public LeaseManager(
      Function<LeaseRequest, CompletionStage<LeaseResponse>> transport,
      LongSupplier nanoClock,
      Duration defaultRefresh,
      Duration backoff,
      Duration evictAfter,
      Duration unknownRecheck,
      Listener listener) {
    this.unknownRecheckNanos = unknownRecheck.toNanos();
    this.evictAfterNanos = evictAfter.toNanos();
    this.transport = transport;
    this.nanoClock = nanoClock;
    this.refreshNanos = defaultRefresh.toNanos();
    this.backoffNanos = backoff.toNanos();
    this.listener = listener;
  }

  /** This process's instance id in the lease protocol (a random UUID per process). */
  public String instance() {
    return instance;
  }

  /**
   * The allowance for a budget, created (without a lease, so a round is requested) on first use.
   *
   * @param client empty for a tenant budget, the tenant for a provider-account budget
   * @param tier null for a tenant budget, the caller's tier for a provider-account budget
   */
  public Lease lease(String resource, String client, String tier) {
    Key key = new Key(resource, client, tier);
    Lease lease = leases.get(key);
    if (lease != null && !lease.evicted) {
      return lease;
    }
    return leases.compute(
        key,
        (k, held) -> {
          if (held != null && !held.evicted) {
            return held;
          }
          requested = true;
          Dimension dimension = ResourceId.parse(resource).dimension();
          return new Lease(
              k,
              dimension,
              new Allowance(
                  resource + (client.isEmpty() ? "" : " for " + client),
                  new DemandEstimator(floor(dimension), 0.5, Duration.ofSeconds(30))));
        });
  }

  /** Notes that {@code amount} did not fit {@code lease}: the next claim asks for at least it. */
  public void shortfall(Lease lease, long amount) {
    lease.shortfall.accumulateAndGet(amount, Math::max);
    lease.returned = false;
  }

  /** Notes that {@code lease} is in use again (it was returned while idle). */
  public void used(Lease lease) {
    if (lease.returned) {
      lease.returned = false;
    }
  }

  /**
   * Asks for a round as soon as possible.
   *
   * @return completes when a round that started after this call has ended (successfully or not)
   */
  public CompletionStage<Void> renewSoon() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(done);
    }
    requested = true;
    tick();
    return done;
  }

  public Connection connection() {
    return connection;
  }

  /** The refresh interval the quota function asked for (or the default). */
  public Duration refreshInterval() {
    return Duration.ofNanos(refreshNanos);
  }

  /** Every lease, for metrics, health and tests. */
  public Map<Key, Lease> leases() {
    return Map.copyOf(leases);
  }

  /** Starts a round if one is due and none is running. Cheap when nothing is due. */
  public void tick() {
    long now = nanoClock.getAsLong();
    if (roundInFlight.get() || now - notBeforeNanos < 0 || !due(now)) {
      return;
    }
    if (roundInFlight.compareAndSet(false, true)) {
      round(now, false);
    }
  }

  private boolean due(long now) {
    if (requested || now - nextRefreshNanos >= 0) {
      return true;
    }
    Duration horizon = Duration.ofNanos(refreshNanos);
    for (Lease lease : leases.values()) {
      Allowance allowance = lease.allowance;
      if (allowance.status() == Allowance.Status.UNLIMITED) {
        continue;
      }
      if (allowance.status() == Allowance.Status.NO_LEASE
          || allowance.windowEnded(now)
          || (!lease.returned && allowance.runningLow(horizon))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns every allowance (want 0) in one last round; for shutdown.
   *
   * @return completes when the round has ended
   */
  public CompletionStage<Void> returnAll() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!roundInFlight.compareAndSet(false, true)) {
      // A round is running: return everything right after it.
      return CompletableFuture.runAsync(
              () -> {},
              CompletableFuture.delayedExecutor(50, java.util.concurrent.TimeUnit.MILLISECONDS))
          .thenCompose(ignored -> returnAll());
    }
    round(nanoClock.getAsLong(), true).whenComplete((ok, failure) -> done.complete(null));
    return done;
  }

  private CompletionStage<Void> round(long now, boolean returning) {
    requested = false;
    List<CompletableFuture<Void>> answering;
    synchronized (waiters) {
      answering = new ArrayList<>(waiters);
      waiters.clear();
    }
    List<Lease> claimed = new ArrayList<>();
    List<Allowance.Report> reports = new ArrayList<>();
    List<LeaseClaim> claims = new ArrayList<>();
    Duration refresh = Duration.ofNanos(refreshNanos);
    for (Lease lease : leases.values()) {
      Allowance allowance = lease.allowance;
      boolean unknown = allowance.status() == Allowance.Status.UNLIMITED;
      if (unknown && (returning || now - lease.recheckAtNanos < 0)) {
        continue;
      }
      Allowance.Report report = allowance.report(now);
      long shortfall = lease.shortfall.getAndSet(0);
      long want =
          returning ? 0 : unknown ? floor(lease.dimension) : want(lease, refresh, now, shortfall);
      if (want == 0 && report.used() == 0 && report.previousUsed() == 0 && lease.returned) {
        evictIfLongIdle(lease, now);
        continue;
      }
      if (unknown) {
        lease.recheckAtNanos = now + unknownRecheckNanos;
      }
      claimed.add(lease);
      reports.add(report);
      claims.add(
          new LeaseClaim(
              lease.key.resource(),
              lease.key.client(),
              lease.key.tier(),
              report.window(),
              unknown ? 0 : report.used(),
              want,
              report.previousWindow(),
              unknown ? 0 : report.previousUsed(),
              lease.dimension == Dimension.CONCURRENT_REQUESTS ? 0 : shortfall));
    }
    if (claims.isEmpty()) {
      nextRefreshNanos = now + refreshNanos;
      roundInFlight.set(false);
      answering.forEach(w -> w.complete(null));
      return CompletableFuture.completedFuture(null);
    }
    List<CompletableFuture<LeaseResponse>> calls = new ArrayList<>();
    for (int from = 0; from < claims.size(); from += MAX_CLAIMS_PER_CALL) {
      List<LeaseClaim> batch =
          claims.subList(from, Math.min(claims.size(), from + MAX_CLAIMS_PER_CALL));
      CompletionStage<LeaseResponse> call;
      try {
        call = transport.apply(new LeaseRequest(instance, List.copyOf(batch)));
      } catch (RuntimeException e) {
        call = CompletableFuture.failedFuture(e);
      }
      calls.add(call.toCompletableFuture());
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .handle(
            (ignored, failure) -> {
              long end = nanoClock.getAsLong();
              try {
                if (failure == null) {
                  succeeded(now, end, calls, claimed, reports, claims);
                } else {
                  failed(end, claimed, reports, failure);
                }
              } finally {
                roundInFlight.set(false);
                answering.forEach(w -> w.complete(null));
              }
              synchronized (waiters) {
                if (!waiters.isEmpty()) {
                  requested = true;
                }
              }
              if (requested && !returning) {
                tick();
              }
              return null;
            });
  }

  /**
   * Forgets a returned allowance that nobody used for {@link #evictAfterNanos}: nothing in flight,
   * nothing unreported, its grant already given back. Ten minutes idle is far past any request's
   * deadline, so no reservation on it is still open; the next {@link #lease} call makes a fresh
   * one.
   */
  private void evictIfLongIdle(Lease lease, long now) {
    Allowance allowance = lease.allowance;
    boolean nothingInFlight =
        lease.dimension != Dimension.CONCURRENT_REQUESTS || allowance.spent() == 0;
    if (now - lease.returnedAtNanos >= evictAfterNanos
        && nothingInFlight
        && allowance.unreported() == 0) {
      lease.evicted = true;
      leases.remove(lease.key, lease);
    }
  }

  private long want(Lease lease, Duration refresh, long now, long shortfall) {
    Allowance allowance = lease.allowance;
    if (lease.dimension == Dimension.CONCURRENT_REQUESTS) {
      long inFlight = Math.max(0, allowance.spent());
      if (inFlight == 0 && shortfall == 0 && allowance.demand().idle(now)) {
        return 0;
      }
      return Math.max(floor(lease.dimension), 2 * inFlight + shortfall);
    }
    long want = allowance.demand().want(refresh, now);
    if (shortfall > 0) {
      want = Math.max(want, Math.max(floor(lease.dimension), shortfall));
    }
    if (allowance.status() == Allowance.Status.NO_LEASE) {
      want = Math.max(want, floor(lease.dimension));
    }
    return want;
  }

  private void succeeded(
      long sent,
      long end,
      List<CompletableFuture<LeaseResponse>> calls,
      List<Lease> claimed,
      List<Allowance.Report> reports,
      List<LeaseClaim> claims) {
    int i = 0;
    long refresh = refreshNanos;
    for (CompletableFuture<LeaseResponse> call : calls) {
      LeaseResponse response = call.join();
      if (response.refreshInMs() > 0) {
        refresh = response.refreshInMs() * 1_000_000L;
      }
      List<LeaseGrant> grants = response.grants() == null ? List.of() : response.grants();
      for (LeaseGrant grant : grants) {
        if (i >= claimed.size()) {
          break;
        }
        if (io.quarkus.logging.Log.isDebugEnabled()) {
          io.quarkus.logging.Log.debugf(
              "lease %s/%s: %s used %d want %d -> %s allowance %d remaining %d window ends in %d ms",
              grant.resource(),
              grant.client(),
              claims.get(i).tier(),
              claims.get(i).used(),
              claims.get(i).want(),
              grant.status(),
              grant.allowance(),
              grant.remaining(),
              grant.windowEndsInMs());
        }
        Lease lease = claimed.get(i);
        lease.allowance.apply(reports.get(i), grant);
        if (LeaseGrant.UNKNOWN.equals(grant.status())) {
          lease.recheckAtNanos = end + unknownRecheckNanos;
        }
        if (claims.get(i).want() == 0) {
          claimed.get(i).returnedAtNanos = end;
        }
        claimed.get(i).returned = claims.get(i).want() == 0;
        i++;
      }
    }
    // Claims without a grant (a short answer) keep their use for the next report.
    for (; i < claimed.size(); i++) {
      claimed.get(i).allowance.failed(reports.get(i));
    }
    refreshNanos = refresh;
    nextRefreshNanos = sent + refresh;
    notBeforeNanos = 0;
    listener.round(true, end - sent);
    transition(Connection.CONNECTED, "lease renewal succeeded");
  }

  private void failed(
      long end, List<Lease> claimed, List<Allowance.Report> reports, Throwable failure) {
    for (int i = 0; i < claimed.size(); i++) {
      claimed.get(i).allowance.failed(reports.get(i));
    }
    notBeforeNanos = end + backoffNanos;
    listener.round(false, 0);
    boolean expired = false;
    for (Lease lease : leases.values()) {
      Allowance allowance = lease.allowance;
      if (allowance.status() == Allowance.Status.LEASED && end - allowance.validUntilNanos() >= 0) {
        expired = true;
        break;
      }
      if (allowance.status() == Allowance.Status.NO_LEASE) {
        expired = true;
        break;
      }
    }
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
            ? c.getCause()
            : failure;
    if (expired) {
      transition(Connection.UNREACHABLE, cause.getMessage());
    }
  }

  private void transition(Connection to, String reason) {
    Connection from = connection;
    if (from != to) {
      connection = to;
      listener.connection(from, to, reason);
    }
  }
}
