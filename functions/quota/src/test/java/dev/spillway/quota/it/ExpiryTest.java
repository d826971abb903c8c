package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.claim;
import static dev.spillway.quota.it.Quota.lease;
import static dev.spillway.quota.it.Quota.num;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Leases of crashed instances expire (5 s in the test profile) and return what they held; the sweep
 * runs every second, so a test waits the validity plus a sweep interval and a margin.
 */
@QuarkusTest
class ExpiryTest {

  @Test
  void anOrphanedLeasesAllowanceReturnsToTheBudget() throws Exception {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/tokens-per-day", 1000);
    String resource = "tenant/" + t + "/tokens-per-day";
    Map<String, Object> crashed = lease("crashed", List.of(claim(resource, 0, 0, 800))).get(0);
    assertEquals(800, num(crashed, "allowance"));
    Map<String, Object> alive = lease("alive", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(200, num(alive, "allowance"));
    // "crashed" never renews; after its validity the sweep returns its 800.
    Thread.sleep(num(crashed, "valid_for_ms") + 1800);
    alive = lease("alive", List.of(claim(resource, 0, 0, 1000))).get(0);
    assertEquals(1000, num(alive, "allowance"));
    io.restassured.RestAssured.get("/q/metrics")
        .then()
        .body(containsString("spillway_quota_leases_expired_total"));
  }

  @Test
  void anOrphanedLeasesRequestsInFlightAreReturned() throws Exception {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/concurrent-requests", 5);
    String resource = "tenant/" + t + "/concurrent-requests";
    // "crashed" started 3 requests (reserve-then-report) and holds 2 more slots.
    Map<String, Object> g = lease("crashed", List.of(claim(resource, 0, 0, 5))).get(0);
    assertEquals(0, num(g, "window"));
    assertEquals(-1, num(g, "window_ends_in_ms"));
    g = lease("crashed", List.of(claim(resource, 0, 3, 2))).get(0);
    assertEquals(2, num(g, "allowance"));
    assertEquals(0, num(g, "remaining"));
    Map<String, Object> other = lease("other", List.of(claim(resource, 0, 0, 5))).get(0);
    assertEquals(0, num(other, "allowance"));
    Thread.sleep(num(g, "valid_for_ms") + 1800);
    // Its 3 requests in flight and its 2 slots are back.
    other = lease("other", List.of(claim(resource, 0, 0, 5))).get(0);
    assertEquals(5, num(other, "allowance"));
  }

  @Test
  void aRenewedLeaseDoesNotExpire() throws Exception {
    String t = Quota.tenant(null);
    Quota.budget("/admin/tenants/" + t + "/budgets/concurrent-requests", 4);
    String resource = "tenant/" + t + "/concurrent-requests";
    lease("steady", List.of(claim(resource, 0, 2, 2)));
    for (int i = 0; i < 10; i++) {
      Thread.sleep(700);
      lease("steady", List.of(claim(resource, 0, 0, 2)));
    }
    // 7 s later (TTL 5 s) its 2 requests in flight still count.
    Map<String, Object> other = lease("other", List.of(claim(resource, 0, 0, 4))).get(0);
    assertEquals(0, num(other, "allowance"));
    assertEquals(0, num(other, "remaining"));
  }
}
