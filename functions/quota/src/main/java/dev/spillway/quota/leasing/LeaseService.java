package dev.spillway.quota.leasing;

import dev.spillway.quota.Dimension;
import dev.spillway.quota.ResourceId;
import dev.spillway.quota.allocation.BudgetWindow;
import dev.spillway.quota.allocation.LeaseAllocator;
import dev.spillway.quota.config.QuotaConfig;
import dev.spillway.quota.lease.LeaseClaim;
import dev.spillway.quota.lease.LeaseGrant;
import dev.spillway.quota.lease.LeaseRequest;
import dev.spillway.quota.lease.LeaseResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers lease calls: per claim, records the reported use, re-divides the window's budget with
 * {@link LeaseAllocator} and stores the claimant's lease; the steps of {@code docs/quota.md}.
 *
 * <p>One transaction per call. Each claim locks its (budget, window) row, which serialises every
 * decision in that window across calls and quota-function replicas, so that used plus all held
 * amounts never exceeds the limit. A lease row keeps the last grant ({@code allowance}) and what
 * others must consider held ({@code held}, at least the grant: more after a shrink, until the
 * instance's next claim; see {@link LeaseAllocator.Decision#held()}). Claims are processed in
 * resource order, so two calls that share budgets lock them in the same order and never deadlock.
 *
 * <p>Round trips are what a lease call costs, so statements are pipelined on the connection: a call
 * takes two, whatever its number of claims. The first carries {@code begin} and every claim's
 * lock-and-read (record the use and lock the window row, then read its leases); the allocator
 * decides every claim in memory; the second carries every lease write and the {@code commit}. The
 * leases are read by a statement of their own, after the one that takes the window's lock, so that
 * it sees every lease committed before the lock was granted (a statement's snapshot is taken when
 * it starts); a claim on a window that an earlier claim of the same call decided sees that
 * decision, since no write has been sent yet. Locks are held for those two round trips only.
 * Non-blocking; thread-safe.
 */
@Singleton
public class LeaseService {

  private static final String LOCK_WINDOW =
      "insert into budget_window as w (resource, window_start, window_end, used, restricted_used)"
          + " select resource, $2, $3, $4, $5 from budget where resource = $1 on conflict"
          + " (resource, window_start) do update set used = w.used + excluded.used,"
          + " restricted_used = w.restricted_used + excluded.restricted_used returning w.used,"
          + " w.restricted_used, (select limit_value from budget where resource = $1) as"
          + " limit_value, (select weight from tenant where name = $6) as weight";

  private static final String RECORD_OLD_WINDOW =
      "insert into budget_window as w (resource, window_start, window_end, used, restricted_used)"
          + " select resource, $2, $3, $4, $5 from budget where resource = $1 on conflict"
          + " (resource, window_start) do update set used = w.used + excluded.used,"
          + " restricted_used = w.restricted_used + excluded.restricted_used";

  private static final String READ_LEASES =
      "select window_start = $2 as current, instance, client, tier, weight, allowance, held, want,"
          + " in_flight, expires_at > now() as live from lease where resource = $1 and"
          + " window_start in ($2, $3)";

  private static final String WRITE_LEASE =
      "insert into lease (resource, window_start, instance, client, tier, weight, allowance, held,"
          + " want, in_flight, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() +"
          + " $11::float8 * interval '1 millisecond') on conflict (resource, window_start,"
          + " instance, client, tier) do update set weight = excluded.weight, allowance ="
          + " excluded.allowance, held = excluded.held, want = excluded.want, in_flight ="
          + " excluded.in_flight, expires_at = excluded.expires_at";

  private static final String DROP_LEASE =
      "delete from lease where resource = $1 and window_start = $2 and instance = $3 and client ="
          + " $4 and tier = $5";

  private final Pool pool;
  private final QuotaConfig config;
  private final QuotaMetrics metrics;
  private final Clock clock;

  public LeaseService(Pool pool, QuotaConfig config, QuotaMetrics metrics) {
    this.pool = pool;
    this.config = config;
    this.metrics = metrics;
    this.clock = Clock.systemUTC();
  }

  /** A validated claim with its parsed resource and its place in the request. */
  public record Parsed(int index, LeaseClaim claim, ResourceId resource) {

    String client() {
      return claim.client() == null ? "" : claim.client();
    }

    String tier() {
      return claim.tier() == null ? "" : claim.tier();
    }
  }

  /** One claim's decision and the write that stores it (not yet sent). */
  private record Decided(LeaseGrant grant, LeaseAllocator.Lease lease, Uni<?> write) {}

  /**
   * One claim's decision in one window: the claim's current window, or the next one when the claim
   * arrived close to the current one's end. Holds what its lock-and-read statements returned.
   */
  private static final class Step {
    final Parsed parsed;
    final BudgetWindow current;
    final long previousStart;
    final long reportedHere;
    final boolean ahead;
    RowSet<Row> window;
    RowSet<Row> leases;

    Step(
        Parsed parsed, BudgetWindow current, long previousStart, long reportedHere, boolean ahead) {
      this.parsed = parsed;
      this.current = current;
      this.previousStart = previousStart;
      this.reportedHere = reportedHere;
      this.ahead = ahead;
    }
  }

  /** Use recorded in an earlier window (reported late or settled after the window ended). */
  private record Late(String resource, long start, long end, long used, boolean restricted) {}

  /** Grants every claim of a request that {@link LeaseRequests#validate} accepted. */
  public Uni<LeaseResponse> lease(LeaseRequest request, List<Parsed> claims) {
    long started = System.nanoTime();
    Parsed[] ordered = claims.toArray(new Parsed[0]);
    Arrays.sort(
        ordered,
        Comparator.comparing((Parsed p) -> p.resource().toString())
            .thenComparing(Parsed::client)
            .thenComparing(Parsed::tier));
    LeaseGrant[] grants = new LeaseGrant[claims.size()];
    long refresh = config.refreshInterval().toMillis();
    if (ordered.length == 0) {
      return Uni.createFrom().item(new LeaseResponse(List.of(), refresh));
    }
    // One instant for the whole call: its claims agree on the current windows.
    long nowMillis = clock.millis();
    String instance = request.instance();
    long lookahead = config.refreshInterval().toMillis();
    List<Late> late = new ArrayList<>();
    List<Step> steps = new ArrayList<>(ordered.length);
    for (Parsed parsed : ordered) {
      plan(parsed, nowMillis, lookahead, steps, late);
    }
    late.sort(Comparator.comparing(Late::resource).thenComparingLong(Late::start));
    return pool.withConnection(
            conn -> {
              // Round trip 1: begin, the late use of earlier windows, then every step's
              // lock-and-read, in lock order.
              List<Uni<?>> first = new ArrayList<>(late.size() + 2 * steps.size() + 1);
              first.add(conn.query("begin").execute());
              for (Late use : late) {
                first.add(
                    conn.preparedQuery(RECORD_OLD_WINDOW)
                        .execute(
                            Tuple.of(
                                use.resource(),
                                use.start(),
                                use.end(),
                                use.used(),
                                use.restricted() ? use.used() : 0L)));
              }
              for (Step step : steps) {
                lockAndRead(conn, step, first);
              }
              return Uni.combine()
                  .all()
                  .unis(first)
                  .discardItems()
                  .flatMap(
                      v -> {
                        // Round trip 2: every step's lease write, then commit.
                        List<Uni<?>> second = new ArrayList<>(steps.size() + 1);
                        Map<String, List<LeaseAllocator.Lease>> decidedHere = new HashMap<>();
                        for (Step step : steps) {
                          Decided decided = decide(conn, instance, step, nowMillis, decidedHere);
                          int index = step.parsed.index();
                          grants[index] =
                              step.ahead
                                  ? withNext(grants[index], decided.grant())
                                  : decided.grant();
                          second.add(decided.write());
                        }
                        second.add(conn.query("commit").execute());
                        return Uni.combine().all().unis(second).discardItems();
                      })
                  .onFailure()
                  .call(
                      () ->
                          conn.query("rollback")
                              .execute()
                              .onFailure()
                              .recoverWithNull()
                              .replaceWithVoid());
            })
        .map(
            v -> {
              for (LeaseGrant grant : grants) {
                metrics.leaseOp(grant.status());
              }
              metrics.leaseCall(System.nanoTime() - started);
              return new LeaseResponse(List.of(grants), refresh);
            });
  }

  /**
   * Plans one claim: its step in the current window, one in the next when the current ends within
   * {@code lookahead}, and the use it reports for earlier windows.
   */
  private void plan(
      Parsed parsed, long nowMillis, long lookahead, List<Step> steps, List<Late> late) {
    LeaseClaim claim = parsed.claim();
    ResourceId resource = parsed.resource();
    String id = resource.toString();
    // The window's bounds do not depend on the limit; the limit per window is scaled later.
    BudgetWindow current =
        BudgetWindow.of(resource, 0, Instant.ofEpochMilli(nowMillis), config.accountWindow());
    boolean windowed = !current.unbounded();
    boolean restricted =
        resource.kind() == ResourceId.Kind.ACCOUNT
            && !LeaseAllocator.INTERACTIVE.equals(claim.tier());
    long reportedHere = !windowed || claim.window() == current.start() ? claim.used() : 0;
    // The window before counts as demand only in a window's first refresh interval: by then every
    // live instance has claimed here, and reading it later would only double the rows each claim
    // reads under the window's lock (-1 matches no window).
    long previousStart =
        windowed && nowMillis - current.start() < lookahead
            ? windowBefore(resource, current).start()
            : -1;
    // Use reported against an earlier window is recorded there; the allowance left in that window
    // lapses (a fixed window's budget does not carry over), so no lease changes.
    if (windowed && claim.window() != 0 && claim.window() != current.start() && claim.used() != 0) {
      late.add(lateUse(resource, claim.window(), claim.used(), restricted));
    }
    if (windowed
        && claim.previousWindow() != 0
        && claim.previousWindow() != current.start()
        && claim.previousUsed() != 0) {
      late.add(lateUse(resource, claim.previousWindow(), claim.previousUsed(), restricted));
    }
    steps.add(new Step(parsed, current, previousStart, reportedHere, false));
    if (windowed && claim.want() > 0 && current.end() - nowMillis <= lookahead) {
      BudgetWindow next =
          BudgetWindow.of(resource, 0, Instant.ofEpochMilli(current.end()), config.accountWindow());
      steps.add(new Step(parsed, next, current.start(), 0, true));
    }
  }

  private Late lateUse(ResourceId resource, long window, long used, boolean restricted) {
    BudgetWindow old =
        BudgetWindow.of(resource, 0, Instant.ofEpochMilli(window), config.accountWindow());
    return new Late(resource.toString(), old.start(), old.end(), used, restricted);
  }

  private BudgetWindow windowBefore(ResourceId resource, BudgetWindow window) {
    return BudgetWindow.of(
        resource, 0, Instant.ofEpochMilli(window.start() - 1), config.accountWindow());
  }

  /** Adds one step's statements to {@code batch}: record its use, lock its window, read leases. */
  private void lockAndRead(SqlConnection conn, Step step, List<Uni<?>> batch) {
    Parsed parsed = step.parsed;
    LeaseClaim claim = parsed.claim();
    ResourceId resource = parsed.resource();
    String id = resource.toString();
    boolean restricted =
        resource.kind() == ResourceId.Kind.ACCOUNT
            && !LeaseAllocator.INTERACTIVE.equals(claim.tier());
    BudgetWindow current = step.current;
    batch.add(
        conn.preparedQuery(LOCK_WINDOW)
            .execute(
                Tuple.of(
                    id,
                    current.start(),
                    current.end(),
                    step.reportedHere,
                    restricted ? step.reportedHere : 0L,
                    parsed.client()))
            .invoke(rows -> step.window = rows));
    batch.add(
        conn.preparedQuery(READ_LEASES)
            .execute(Tuple.of(id, current.start(), step.previousStart))
            .invoke(rows -> step.leases = rows));
  }

  /** The claim's grant in its current window with the next window's grant added. */
  private static LeaseGrant withNext(LeaseGrant grant, LeaseGrant next) {
    if (grant == null
        || !LeaseGrant.OK.equals(grant.status())
        || !LeaseGrant.OK.equals(next.status())) {
      return grant;
    }
    return new LeaseGrant(
        grant.resource(),
        grant.client(),
        grant.status(),
        grant.window(),
        grant.windowEndsInMs(),
        grant.limit(),
        grant.allowance(),
        grant.remaining(),
        grant.validForMs(),
        new LeaseGrant.Next(
            next.window(), next.windowEndsInMs(), next.allowance(), next.remaining()));
  }

  /**
   * Decides one step from its reads.
   *
   * @param decidedHere leases this call already decided, by window: the reads of all claims ran
   *     before any write, so a later claim on the same window must see the earlier decisions
   */
  private Decided decide(
      SqlConnection conn,
      String instance,
      Step step,
      long nowMillis,
      Map<String, List<LeaseAllocator.Lease>> decidedHere) {
    Parsed parsed = step.parsed;
    LeaseClaim claim = parsed.claim();
    ResourceId resource = parsed.resource();
    String id = resource.toString();
    String client = parsed.client();
    BudgetWindow current = step.current;
    long reportedHere = step.reportedHere;
    if (step.window.rowCount() == 0) {
      return new Decided(
          new LeaseGrant(id, claim.client(), LeaseGrant.UNKNOWN, 0, -1, 0, 0, 0, 0),
          null,
          Uni.createFrom().voidItem());
    }
    Row row = step.window.iterator().next();
    long limit =
        BudgetWindow.of(
                resource,
                row.getLong("limit_value"),
                Instant.ofEpochMilli(current.start()),
                config.accountWindow())
            .limit();
    long used = row.getLong("used");
    long restrictedUsed = row.getLong("restricted_used");
    Integer tenantWeight = row.getInteger("weight");
    long weight =
        resource.kind() == ResourceId.Kind.ACCOUNT && tenantWeight != null ? tenantWeight : 1;
    String windowKey = id + "@" + current.start();
    List<LeaseAllocator.Lease> earlier = decidedHere.getOrDefault(windowKey, List.of());

    List<LeaseAllocator.Lease> others = new ArrayList<>();
    List<LeaseAllocator.Lease> before = new ArrayList<>();
    long ownAllowance = 0;
    long ownInFlight = 0;
    for (Row lease : step.leases) {
      boolean own =
          lease.getString("instance").equals(instance)
              && lease.getString("client").equals(client)
              && lease.getString("tier").equals(parsed.tier());
      boolean inThisWindow = lease.getBoolean("current");
      if (own) {
        if (inThisWindow) {
          // An expired lease (not yet swept) already stopped counting for others, and the
          // instance's validity, counted from its earlier send, ended before it: nothing is left
          // to admit on it.
          ownAllowance = lease.getBoolean("live") ? lease.getLong("allowance") : 0;
          ownInFlight = lease.getLong("in_flight");
        }
      } else if (lease.getBoolean("live") && !decidedEarlier(earlier, lease)) {
        LeaseAllocator.Lease holder =
            new LeaseAllocator.Lease(
                lease.getString("instance"),
                lease.getString("client"),
                lease.getInteger("weight"),
                emptyToNull(lease.getString("tier")),
                inThisWindow ? lease.getLong("held") : 0,
                lease.getLong("want"));
        (inThisWindow ? others : before).add(holder);
      }
    }
    // Leases of the window before that have not claimed in this one yet still want their share:
    // they count as demand, holding nothing, so that the first claimant of a window cannot take it
    // all.
    if (!before.isEmpty()) {
      // A set, not a scan per lease: an account window can hold a lease per instance, tenant and
      // tier (thousands), and this runs under the window's lock.
      java.util.Set<String> here = new java.util.HashSet<>(others.size() * 2);
      for (LeaseAllocator.Lease lease : others) {
        here.add(holderKey(lease));
      }
      for (LeaseAllocator.Lease waiting : before) {
        if (waiting.want() > 0 && !here.contains(holderKey(waiting))) {
          others.add(waiting);
        }
      }
    }
    // The reported use was spent from the last grant (a refund returns to it): what is left is what
    // the instance may still admit while this answer is in flight, so it stays held (Doorman's
    // rule: a shrink is handed to others only once the instance's next claim acknowledges it).
    long allowanceNow = Math.max(0, ownAllowance - reportedHere);
    long inFlight =
        resource.dimension() == Dimension.CONCURRENT_REQUESTS ? ownInFlight + reportedHere : 0;
    for (LeaseAllocator.Lease lease : earlier) {
      if (lease.allowance() > 0 || lease.want() > 0) {
        others.add(lease);
      }
    }
    LeaseAllocator.Lease claimant =
        new LeaseAllocator.Lease(
            instance, client, weight, claim.tier(), allowanceNow, claim.want());
    double reserve = resource.kind() == ResourceId.Kind.ACCOUNT ? config.interactiveReserve() : 0;
    long unit = resource.dimension() == Dimension.CONCURRENT_REQUESTS ? 0 : claim.unit();
    LeaseAllocator.Decision decision =
        LeaseAllocator.allocate(
            new LeaseAllocator.Window(limit, used, restrictedUsed, reserve),
            others,
            claimant,
            unit);
    long ttl = config.leaseTtl().toMillis();
    LeaseGrant grant =
        new LeaseGrant(
            id,
            claim.client(),
            LeaseGrant.OK,
            current.start(),
            current.endsInMs(nowMillis),
            limit,
            decision.allowance(),
            decision.remaining(),
            ttl);
    Uni<?> write =
        decision.held() == 0 && inFlight == 0 && claim.want() == 0
            ? conn.preparedQuery(DROP_LEASE)
                .execute(Tuple.of(id, current.start(), instance, client, parsed.tier()))
            : conn.preparedQuery(WRITE_LEASE)
                .execute(
                    Tuple.tuple()
                        .addValue(id)
                        .addValue(current.start())
                        .addValue(instance)
                        .addValue(client)
                        .addValue(parsed.tier())
                        .addValue((int) weight)
                        .addValue(decision.allowance())
                        .addValue(decision.held())
                        .addValue(claim.want())
                        .addValue(inFlight)
                        .addValue(ttl));
    // Later claims of this call on the same window see it as others do: by what it holds.
    LeaseAllocator.Lease decided = claimant.withAllowance(decision.held());
    decidedHere.computeIfAbsent(windowKey, k -> new ArrayList<>()).add(decided);
    return new Decided(grant, decided, write);
  }

  private static String holderKey(LeaseAllocator.Lease lease) {
    return lease.instance()
        + '\u0000'
        + lease.client()
        + '\u0000'
        + (lease.tier() == null ? "" : lease.tier());
  }

  private static boolean decidedEarlier(List<LeaseAllocator.Lease> earlier, Row lease) {
    for (LeaseAllocator.Lease decided : earlier) {
      if (decided.instance().equals(lease.getString("instance"))
          && decided.client().equals(lease.getString("client"))
          && (decided.tier() == null ? "" : decided.tier()).equals(lease.getString("tier"))) {
        return true;
      }
    }
    return false;
  }

  private static String emptyToNull(String tier) {
    return tier == null || tier.isEmpty() ? null : tier;
  }
}
