package dev.spillway.quota.allowance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.spillway.quota.lease.LeaseGrant;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AllowanceChainTest {

  private static Allowance leased(long amount) {
    Allowance a = new Allowance("x", new DemandEstimator(1, 0.5, Duration.ofSeconds(10)));
    a.apply(a.report(0), new LeaseGrant("x", "", "ok", 1, 60_000, amount, amount, 0, 60_000));
    return a;
  }

  @Test
  void allOrNothing() {
    Allowance feature = leased(1_000);
    Allowance tenant = leased(100);
    Allowance parent = leased(1_000);
    Allowance[] chain = {feature, tenant, parent};
    AllowanceChain.Outcome refused =
        AllowanceChain.tryReserve(chain, new long[] {500, 500, 500}, 1);
    AllowanceChain.Refused r = assertInstanceOf(AllowanceChain.Refused.class, refused);
    assertEquals(1, r.index());
    assertEquals(100, r.refusal().available());
    assertEquals(1_000, feature.available(), "the feature's reservation was rolled back");
    assertEquals(1_000, parent.available());
  }

  @Test
  void settlesEachBudgetWithItsOwnUse() {
    Allowance tokens = leased(1_000);
    Allowance inFlight = leased(2);
    AllowanceChain.Held held =
        assertInstanceOf(
            AllowanceChain.Held.class,
            AllowanceChain.tryReserve(new Allowance[] {tokens, inFlight}, new long[] {800, 1}, 1));
    assertEquals(200, tokens.available());
    assertEquals(1, inFlight.available());
    held.settle(new long[] {50, 0});
    assertEquals(950, tokens.available());
    assertEquals(2, inFlight.available());
  }
}
