package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.accountClaim;
import static dev.spillway.quota.it.Quota.claim;
import static dev.spillway.quota.it.Quota.lease;
import static dev.spillway.quota.it.Quota.num;
import static dev.spillway.quota.it.Quota.service;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LeaseTest {

  @Inject Pool pool;

  private static String dailyBudget(long limit) {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/tokens-per-day", limit);
    return "tenant/" + t + "/tokens-per-day";
  }

  @Test
  void grantRenewAndReturn() {
    String resource = dailyBudget(1000);
    Map<String, Object> grant = lease("i1", List.of(claim(resource, 0, 0, 300))).get(0);
    assertEquals("ok", grant.get("status"));
    assertEquals(300, num(grant, "allowance"));
    assertEquals(700, num(grant, "remaining"));
    assertEquals(1000, num(grant, "limit"));
    assertEquals(5000, num(grant, "valid_for_ms"));
    long window = num(grant, "window");
    assertTrue(window > 0 && window % 86_400_000L == 0, "a UTC day: " + window);
    assertTrue(num(grant, "window_ends_in_ms") > 0);

    // Renew: report 100 used and ask for the same again; the 100 are spent for good.
    grant = lease("i1", List.of(claim(resource, window, 100, 300))).get(0);
    assertEquals(300, num(grant, "allowance"));
    assertEquals(600, num(grant, "remaining"));

    // Return: want 0 gives back everything unused, once the next claim acknowledges it (the
    // instance may admit on its old allowance while the answer is in flight).
    grant = lease("i1", List.of(claim(resource, window, 0, 0))).get(0);
    assertEquals(0, num(grant, "allowance"));
    assertEquals(600, num(grant, "remaining"));
    grant = lease("i1", List.of(claim(resource, window, 0, 0))).get(0);
    assertEquals(0, num(grant, "allowance"));
    assertEquals(900, num(grant, "remaining"));
  }

  @Test
  void reserveThenReconcileRefundsAndCharges() {
    String resource = dailyBudget(1000);
    Map<String, Object> grant = lease("i1", List.of(claim(resource, 0, 0, 500))).get(0);
    long window = num(grant, "window");
    // The instance reserved 400 for requests, reported them as used...
    grant = lease("i1", List.of(claim(resource, window, 400, 500))).get(0);
    assertEquals(100, num(grant, "remaining"));
    // ...and the requests used only 150: the refund of 250 (negative use) returns to the budget,
    // with the returned allowance once the next claim acknowledges it (until then the instance
    // may still admit the 500 it held plus the 250 refunded).
    grant = lease("i1", List.of(claim(resource, window, -250, 0))).get(0);
    assertEquals(0, num(grant, "allowance"));
    assertEquals(100, num(grant, "remaining"));
    // A request that used more than reserved is charged the difference.
    grant = lease("i1", List.of(claim(resource, window, 50, 0))).get(0);
    assertEquals(800, num(grant, "remaining"));
  }

  @Test
  void twoInstancesConvergeToFairSharesWithoutEverOverGranting() {
    String resource = dailyBudget(1000);
    Map<String, Object> a = lease("a", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(1000, num(a, "allowance"));
    // b's fair share is 500, but a still holds everything: b gets only what nobody holds.
    Map<String, Object> b = lease("b", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(0, num(b, "allowance"));
    // a renews and is shrunk to its share; once a's next claim acknowledged the shrink, b grows
    // into what a gave back.
    a = lease("a", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(500, num(a, "allowance"));
    a = lease("a", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(500, num(a, "allowance"));
    b = lease("b", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(500, num(b, "allowance"));
    assertEquals(0, num(b, "remaining"));
  }

  @Test
  void aShrinkIsGrantedToOthersOnlyAfterTheShrunkInstancesNextClaim() {
    String resource = dailyBudget(1000);
    Map<String, Object> a = lease("a", List.of(claim(resource, 0, 0, 1000))).get(0);
    long window = num(a, "window");
    assertEquals(1000, num(a, "allowance"));
    Map<String, Object> b = lease("b", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(0, num(b, "allowance"));

    // a reports 100 used and is shrunk to its share of the 900 left, 450. Until its answer
    // arrives it may still admit its old 900, so the 450 it gives up stay held.
    a = lease("a", List.of(claim(resource, window, 100, 1000))).get(0);
    assertEquals(450, num(a, "allowance"));
    assertEquals(0, num(a, "remaining"));
    assertEquals(900, held(resource, window, "a"));
    b = lease("b", List.of(claim(resource, window, 0, 1000))).get(0);
    assertEquals(0, num(b, "allowance"), "a has not acknowledged its shrink yet");
    assertEquals(0, num(b, "remaining"));
    long[] state = windowState(resource, window);
    assertEquals(100, state[0]);
    assertEquals(900, state[1]);

    // a's next claim reports what it admitted meanwhile, 300: it may still admit 450 - 300 = 150,
    // and is granted its share of what is left, 300 (held: 300).
    a = lease("a", List.of(claim(resource, window, 300, 1000))).get(0);
    assertEquals(300, num(a, "allowance"));
    assertEquals(300, held(resource, window, "a"));
    assertEquals(300, num(a, "remaining"), "1000 - 400 used - 300 held");
    // Only now does b get the part a gave back.
    b = lease("b", List.of(claim(resource, window, 0, 1000))).get(0);
    assertEquals(300, num(b, "allowance"));
    assertEquals(0, num(b, "remaining"));
    state = windowState(resource, window);
    assertEquals(400, state[0]);
    assertEquals(600, state[1]);
  }

  @Test
  void aParentBudgetSharedByTwoChildrensInstancesNeverOverGrants() {
    String parent = Quota.tenant(null);
    Quota.tenant(parent);
    Quota.tenant(parent);
    Quota.budget("/admin/tenants/" + parent + "/budgets/tokens-per-day", 900);
    String resource = "tenant/" + parent + "/tokens-per-day";
    // Gateways serving either child claim the parent's budget too; many rounds, random wants.
    java.util.Random random = new java.util.Random(3);
    Map<String, Long> held = new HashMap<>();
    long window = 0;
    for (int round = 0; round < 30; round++) {
      String instance = "child" + random.nextInt(2) + "-gw" + random.nextInt(2);
      long allowance = held.getOrDefault(instance, 0L);
      long spent = allowance == 0 ? 0 : random.nextInt((int) allowance + 1);
      Map<String, Object> grant =
          lease(instance, List.of(claim(resource, window, spent, random.nextInt(900)))).get(0);
      window = num(grant, "window");
      held.put(instance, num(grant, "allowance"));
      // The invariant as the quota function holds it: use plus live held amounts within the limit.
      long[] state = windowState(resource, window);
      assertTrue(state[0] + state[1] <= 900, "used " + state[0] + " + held " + state[1] + " > 900");
      assertEquals(900 - state[0] - state[1], num(grant, "remaining"));
    }
  }

  @Test
  void unknownBudgetsAreGrantedAsUnknownNotRefused() {
    String t = Quota.tenant(null);
    Map<String, Object> grant =
        lease("i1", List.of(claim("tenant/" + t + "/tokens-per-minute", 0, 0, 100))).get(0);
    assertEquals("unknown", grant.get("status"));
    assertEquals(0, num(grant, "allowance"));
  }

  @Test
  void grantsComeBackInClaimOrder() {
    String first = dailyBudget(100);
    String second = dailyBudget(200);
    // Claims are locked in resource order, but answered in the request's order.
    List<String> resources = new ArrayList<>(List.of(first, second));
    resources.sort(java.util.Comparator.reverseOrder());
    List<Map<String, Object>> grants =
        lease("i1", List.of(claim(resources.get(0), 0, 0, 10), claim(resources.get(1), 0, 0, 10)));
    assertEquals(resources.get(0), grants.get(0).get("resource"));
    assertEquals(resources.get(1), grants.get(1).get("resource"));
  }

  @Test
  void useReportedForAnEndedWindowIsRecordedThereAndNotInTheCurrentOne() throws Exception {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/tokens-per-minute", 1000);
    String resource = "tenant/" + t + "/tokens-per-minute";
    Quota.awaitRoomInWindow(60_000, 5_000);
    Map<String, Object> grant = lease("i1", List.of(claim(resource, 0, 0, 400))).get(0);
    long now = num(grant, "window");
    long previous = now - 60_000L;
    grant = lease("i1", List.of(claim(resource, previous, 250, 400))).get(0);
    assertEquals(now, num(grant, "window"));
    assertEquals(400, num(grant, "allowance"));
    assertEquals(600, num(grant, "remaining"));
    assertEquals(250, windowState(resource, previous)[0]);
    assertEquals(0, windowState(resource, now)[0]);
  }

  @Test
  void windowRolloverStartsAFreshWindowAndLapsesTheOldAllowance() throws Exception {
    // Account budgets use 10 s windows in the test profile: wait for the next one.
    String account = Quota.unique("acct");
    String tenant = Quota.tenant(null);
    Quota.admin().body(Map.of("name", account)).post("/admin/accounts").then().statusCode(201);
    Quota.budget("/admin/accounts/" + account + "/budgets/tokens-per-minute", 600);
    String resource = "account/" + account + "/tokens-per-minute";
    Quota.awaitRoomInWindow(10_000, 3_000);
    Map<String, Object> grant =
        lease("i1", List.of(accountClaim(resource, tenant, "interactive", 0, 0, 80))).get(0);
    long first = num(grant, "window");
    assertEquals(100, num(grant, "limit"), "600 per minute is 100 per 10 s window");
    assertEquals(80, num(grant, "allowance"));
    grant =
        lease("i1", List.of(accountClaim(resource, tenant, "interactive", first, 60, 80))).get(0);
    assertEquals(first, num(grant, "window"));
    assertEquals(40, num(grant, "allowance"), "100 - 60 used");
    assertEquals(0, num(grant, "remaining"));
    Thread.sleep(num(grant, "window_ends_in_ms") + 50);
    // The next window: the 60 used stay in the old one, the new one starts empty.
    grant =
        lease("i1", List.of(accountClaim(resource, tenant, "interactive", first, 10, 80))).get(0);
    assertEquals(first + 10_000, num(grant, "window"));
    assertEquals(80, num(grant, "allowance"));
    assertEquals(20, num(grant, "remaining"));
    assertEquals(70, windowState(resource, first)[0]);
  }

  @Test
  void anAccountIsSharedByTenantWeightAndKeepsTheInteractiveReserve() throws Exception {
    String account = Quota.unique("acct");
    Quota.admin().body(Map.of("name", account)).post("/admin/accounts").then().statusCode(201);
    Quota.budget("/admin/accounts/" + account + "/budgets/tokens-per-minute", 6000);
    String resource = "account/" + account + "/tokens-per-minute";
    String light = Quota.tenant(null);
    String heavy = Quota.unique("t");
    Quota.admin()
        .body(Map.of("name", heavy, "weight", 3))
        .post("/admin/tenants")
        .then()
        .statusCode(201);
    String chat = Quota.tenant(null);
    Quota.awaitRoomInWindow(10_000, 5_000);

    // 1000 per 10 s window. A batch tenant alone gets at most 70 %: 300 stay for interactive.
    Map<String, Object> g =
        lease("gw1", List.of(accountClaim(resource, light, "batch", 0, 0, 5000))).get(0);
    assertEquals(1000, num(g, "limit"));
    assertEquals(700, num(g, "allowance"));
    long window = num(g, "window");
    g = lease("gw2", List.of(accountClaim(resource, chat, "interactive", 0, 0, 300))).get(0);
    assertEquals(300, num(g, "allowance"), "the reserved share is there for interactive");

    // A second non-interactive tenant with weight 3 competes with the first for the 700.
    g = lease("gw1", List.of(accountClaim(resource, heavy, "standard", 0, 0, 5000))).get(0);
    assertEquals(0, num(g, "allowance"), "nothing non-reserved is free yet");
    g = lease("gw1", List.of(accountClaim(resource, light, "batch", window, 0, 5000))).get(0);
    assertEquals(175, num(g, "allowance"), "shrunk to its weighted share: 700 * 1/4");
    // The 525 it gives up are free once its next claim acknowledges the shrink.
    g = lease("gw1", List.of(accountClaim(resource, heavy, "standard", 0, 0, 5000))).get(0);
    assertEquals(0, num(g, "allowance"), "the shrink is not acknowledged yet");
    g = lease("gw1", List.of(accountClaim(resource, light, "batch", window, 0, 5000))).get(0);
    assertEquals(175, num(g, "allowance"));
    g = lease("gw1", List.of(accountClaim(resource, heavy, "standard", 0, 0, 5000))).get(0);
    assertEquals(525, num(g, "allowance"), "grown to its weighted share: 700 * 3/4");
    assertEquals(0, num(g, "remaining"));
  }

  /** Sleeps until {@code leftMs} before the end of the current window of {@code windowMs}. */
  private static void awaitWindowEnd(long windowMs, long leftMs) throws InterruptedException {
    long left = windowMs - System.currentTimeMillis() % windowMs;
    if (left < leftMs - 100) {
      left += windowMs;
    }
    Thread.sleep(Math.max(0, left - leftMs));
  }

  private static String account(long tokensPerMinute) {
    String account = Quota.unique("acct");
    Quota.admin().body(Map.of("name", account)).post("/admin/accounts").then().statusCode(201);
    Quota.budget("/admin/accounts/" + account + "/budgets/tokens-per-minute", tokensPerMinute);
    return "account/" + account + "/tokens-per-minute";
  }

  @Test
  void theFirstClaimantOfAWindowGetsItsShareNotTheWholeBudget() throws Exception {
    String resource = account(6_000); // 1,000 per 10 s window in the test profile
    String tenant = Quota.tenant(null);
    // Late enough that gw2's lease (valid 5 s in the test profile) is still live in the next
    // window, early enough that no claim lands in the last refresh interval.
    awaitWindowEnd(10_000, 3_000);
    Map<String, Object> g =
        lease("gw1", List.of(accountClaim(resource, tenant, "interactive", 0, 0, 1_000))).get(0);
    long window = num(g, "window");
    lease("gw2", List.of(accountClaim(resource, tenant, "interactive", 0, 0, 1_000)));
    Thread.sleep(num(g, "window_ends_in_ms") + 50);
    // gw1 claims first in the new window; gw2, busy in the last one, has not claimed here yet.
    g =
        lease("gw1", List.of(accountClaim(resource, tenant, "interactive", window, 0, 1_000)))
            .get(0);
    assertEquals(window + 10_000, num(g, "window"));
    assertEquals(500, num(g, "allowance"), "gw2's demand from the window before counts");
    g =
        lease("gw2", List.of(accountClaim(resource, tenant, "interactive", window, 0, 1_000)))
            .get(0);
    assertEquals(500, num(g, "allowance"), "gw2 is not refused until gw1's second renewal");
  }

  @Test
  void aClaimCloseToTheWindowsEndIsAlsoGrantedTheNextWindow() throws Exception {
    String resource = account(6_000);
    String tenant = Quota.tenant(null);
    awaitWindowEnd(10_000, 300); // the test profile's refresh interval is 500 ms
    List<Map<String, Object>> grants =
        lease("gw1", List.of(accountClaim(resource, tenant, "interactive", 0, 0, 400)));
    Map<String, Object> g = grants.get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> next = (Map<String, Object>) g.get("next");
    if (num(g, "window_ends_in_ms") > 500) {
      return; // the machine was too slow to land in the window's last 500 ms: nothing to check
    }
    assertTrue(next != null, "a grant for the next window: " + g);
    long window = num(g, "window");
    assertEquals(window + 10_000, num(next, "window"));
    assertEquals(400, num(next, "allowance"));
    assertEquals(600, num(next, "remaining"));
    assertTrue(num(next, "window_ends_in_ms") > 9_500);
    Thread.sleep(num(g, "window_ends_in_ms") + 50);
    // In the new window, the instance's lease already holds the 400 it was granted in advance.
    g = lease("gw2", List.of(accountClaim(resource, tenant, "interactive", 0, 0, 1_000))).get(0);
    assertEquals(window + 10_000, num(g, "window"));
    assertEquals(600, num(g, "allowance"), "1,000 less gw1's prefetched 400");
  }

  @Test
  void aRefundSettledAfterItsWindowEndedIsRecordedInThatWindow() throws Exception {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/tokens-per-minute", 10_000);
    String resource = "tenant/" + t + "/tokens-per-minute";
    Quota.awaitRoomInWindow(60_000, 5_000);
    long now = num(lease("i1", List.of(claim(resource, 0, 0, 400))).get(0), "window");
    long previous = now - 60_000L;
    // 1,000 reserved in the window before (reported late, as a rollover does)...
    lease("i1", List.of(claim(resource, previous, 1_000, 400)));
    assertEquals(1_000, windowState(resource, previous)[0]);
    // ...and the request, still in flight at the boundary, used 250 of them.
    Map<String, Object> refund = new HashMap<>(claim(resource, now, 0, 400));
    refund.put("previous_window", previous);
    refund.put("previous_used", -750);
    Map<String, Object> g = lease("i1", List.of(refund)).get(0);
    assertEquals(now, num(g, "window"));
    assertEquals(250, windowState(resource, previous)[0], "charged what it used, not 1,000");
    assertEquals(0, windowState(resource, now)[0]);
  }

  @Test
  void aStandardTierWithTheNonReservedPartUsedUpIsToldNothingRemains() throws Exception {
    String resource = account(6_000);
    String tenant = Quota.tenant(null);
    Quota.awaitRoomInWindow(10_000, 3_000);
    Map<String, Object> g =
        lease("gw1", List.of(accountClaim(resource, tenant, "standard", 0, 0, 5_000))).get(0);
    assertEquals(700, num(g, "allowance"));
    long window = num(g, "window");
    g =
        lease("gw1", List.of(accountClaim(resource, tenant, "standard", window, 700, 5_000)))
            .get(0);
    assertEquals(0, num(g, "allowance"));
    assertEquals(0, num(g, "remaining"), "the 300 left are reserved for interactive traffic");
  }

  @Test
  void aUnitTurnsASliverIntoAWholeRequestOrGivesItBack() throws Exception {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/tokens-per-minute", 16_000);
    String resource = "tenant/" + t + "/tokens-per-minute";
    Quota.awaitRoomInWindow(60_000, 5_000);
    long window = 0;
    for (String gw : List.of("a", "b", "c", "d")) {
      window = num(lease(gw, List.of(claim(resource, 0, 0, 16_000))).get(0), "window");
    }
    // Everyone's share is a sliver of a 4,000-token request once 10,000 are used.
    Map<String, Object> used = new HashMap<>(claim(resource, window, 10_000, 16_000));
    used.put("unit", 4_000);
    Map<String, Object> g = lease("a", List.of(used)).get(0);
    // a's fair share of the 6,000 left is 1,500 (four instances want more): a whole request
    // instead.
    assertEquals(4_000, num(g, "allowance"), "one whole request, not a 1,500 sliver: " + g);
  }

  @Test
  void claimsOnTheSameWindowInOneCallSeeEachOthersDecisions() throws Exception {
    String account = Quota.unique("acct");
    Quota.admin().body(Map.of("name", account)).post("/admin/accounts").then().statusCode(201);
    Quota.budget("/admin/accounts/" + account + "/budgets/requests-per-minute", 600);
    String resource = "account/" + account + "/requests-per-minute";
    String a = Quota.tenant(null);
    String b = Quota.tenant(null);
    Quota.awaitRoomInWindow(10_000, 3_000);
    // One instance, two tenants, both wanting the whole 100 of the window, in one call.
    List<Map<String, Object>> grants =
        lease(
            "gw",
            List.of(
                accountClaim(resource, a, "interactive", 0, 0, 100),
                accountClaim(resource, b, "interactive", 0, 0, 100)));
    long total = num(grants.get(0), "allowance") + num(grants.get(1), "allowance");
    assertEquals(100, total, "the whole window and never more: " + grants);
  }

  @Test
  void badClaimsAreRefusedNamingTheClaim() {
    String resource = dailyBudget(10);
    service()
        .body(Map.of("instance", "i", "claims", List.of(claim(resource, 0, 0, -1))))
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("claims[0].want"));
    service()
        .body(
            Map.of(
                "instance",
                "i",
                "claims",
                List.of(claim(resource, 0, 0, 1), claim("tenant/x/tokens-per-year", 0, 0, 1))))
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("claims[1].resource"));
    service()
        .body(
            Map.of(
                "instance",
                "i",
                "claims",
                List.of(accountClaim("account/openai/tokens-per-minute", "t", "gold", 0, 0, 1))))
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("claims[0].tier"));
    service()
        .body(
            Map.of(
                "instance",
                "i",
                "claims",
                List.of(claim("account/openai/tokens-per-minute", 0, 0, 1))))
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("claims[0].client"));
    List<Map<String, Object>> many = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      many.add(claim("tenant/t" + i + "/tokens-per-minute", 0, 0, 1));
    }
    service()
        .body(Map.of("instance", "i", "claims", many))
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("at most 1000"));
    service()
        .body(
            Map.of(
                "instance",
                "i",
                "claims",
                List.of(claim(resource, 0, 0, 1), claim(resource, 0, 0, 2))))
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("claims[1]"));
    service()
        .body(
            "{\"instance\": \"i\", \"claims\": [{\"resource\": \""
                + resource
                + "\", \"want\": \"x\"}]}")
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("claims[0].want"));
    service()
        .body("{\"instance\": \"i\", \"claims\": [], \"extra\": true}")
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("'extra'"));
    service()
        .body("{\"claims\": []}")
        .post("/leases")
        .then()
        .statusCode(400)
        .body("detail", containsString("instance"));
    Quota.as("sk-wrong")
        .body(Map.of("instance", "i", "claims", List.of()))
        .post("/leases")
        .then()
        .statusCode(401);
  }

  @Test
  void leaseMetricsAreExported() {
    String resource = dailyBudget(10);
    lease("m", List.of(claim(resource, 0, 0, 1)));
    io.restassured.RestAssured.get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("spillway_quota_lease_ops_total{status=\"ok\"}"))
        .body(containsString("spillway_quota_lease_latency_seconds"));
  }

  /** What one instance's lease on a budget window holds, read from the database. */
  private long held(String resource, long window, String instance) {
    return pool.preparedQuery(
            "select held from lease where resource = $1 and window_start = $2 and instance = $3")
        .execute(Tuple.of(resource, window, instance))
        .map(rows -> rows.iterator().next().getLong("held"))
        .await()
        .atMost(Duration.ofSeconds(5));
  }

  /** {used, live held amounts} of a budget window, read from the database. */
  private long[] windowState(String resource, long window) {
    return pool.preparedQuery(
            "select coalesce((select used from budget_window where resource = $1 and window_start"
                + " = $2), 0) as used, coalesce((select sum(held) from lease where resource ="
                + " $1 and window_start = $2 and expires_at > now()), 0) as held")
        .execute(Tuple.of(resource, window))
        .map(
            rows -> {
              var row = rows.iterator().next();
              return new long[] {row.getLong("used"), row.getLong("held")};
            })
        .await()
        .atMost(Duration.ofSeconds(5));
  }
}
