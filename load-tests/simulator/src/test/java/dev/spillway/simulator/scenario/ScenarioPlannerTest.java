package dev.spillway.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultRates;
import dev.spillway.simulator.ModelProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScenarioPlannerTest {

  private static final ModelProfile SLOW = new ModelProfile(400, 0.5, 30, 0.2, 100);
  private static final ModelProfile FAST = new ModelProfile(20, 0, 1, 0, 5);

  private final ScenarioPlanner planner =
      new ScenarioPlanner(42, model -> model.equals("slow") ? SLOW : FAST, () -> 0);

  @Test
  void profileComesFromTheModelAndDirectivesOverrideItExactly() {
    Scenario plain = planner.plan("slow", Directives.NONE, 0, FaultRates.NONE);
    Scenario overridden =
        planner.plan(
            "slow", Directives.parseModel("x@ttft=50,tokens=7").directives(), 1, FaultRates.NONE);

    assertEquals(SLOW, plain.profile());
    assertEquals(50, overridden.profile().ttftMillis());
    assertEquals(0, overridden.profile().ttftJitter());
    assertEquals(7, overridden.profile().outputTokens());
    assertEquals(30, overridden.profile().itlMillis());
  }

  @Test
  void explicitFaultWinsOverRatesAndNoneSuppressesThem() {
    FaultRates always503 = new FaultRates(Map.of(Fault.UNAVAILABLE, 1.0));

    Scenario drawn = planner.plan("m", Directives.NONE, 0, always503);
    Scenario named =
        planner.plan("m", Directives.parseModel("m@fault=reset").directives(), 1, always503);
    Scenario suppressed =
        planner.plan("m", Directives.parseModel("m@fault=none").directives(), 2, always503);

    assertEquals(Fault.UNAVAILABLE, drawn.fault());
    assertEquals(Fault.RESET, named.fault());
    assertEquals(Fault.NONE, suppressed.fault());
  }

  @Test
  void rateLimitedDefaultsToOneSecondRetryAfter() {
    Scenario limited =
        planner.plan("m", Directives.parseModel("m@fault=429").directives(), 0, FaultRates.NONE);
    Scenario told =
        planner.plan(
            "m",
            Directives.parseModel("m@fault=429,retry-after=9").directives(),
            1,
            FaultRates.NONE);

    assertEquals(OptionalInt.of(1), limited.retryAfterSeconds());
    assertEquals(OptionalInt.of(9), told.retryAfterSeconds());
    assertEquals(Scenario.DEFAULT_STALL_MILLIS, limited.stallMillis());
  }

  @Test
  void drawsReplayForTheSameSeedAndSequenceOnly() {
    FaultRates half = new FaultRates(Map.of(Fault.SERVER_ERROR, 0.5));
    ScenarioPlanner same = new ScenarioPlanner(42, model -> FAST, () -> 0);
    ScenarioPlanner other = new ScenarioPlanner(43, model -> FAST, () -> 0);

    List<Fault> first = new ArrayList<>();
    List<Fault> replay = new ArrayList<>();
    List<Fault> otherSeed = new ArrayList<>();
    for (long sequence = 0; sequence < 64; sequence++) {
      first.add(planner.plan("m", Directives.NONE, sequence, half).fault());
      replay.add(same.plan("m", Directives.NONE, sequence, half).fault());
      otherSeed.add(other.plan("m", Directives.NONE, sequence, half).fault());
    }

    assertEquals(first, replay);
    assertNotEquals(first, otherSeed);
    assertTrue(first.contains(Fault.SERVER_ERROR) && first.contains(Fault.NONE));
  }

  @Test
  void flapAppliesTheFaultInEvenWindowsOfTheClockOnly() {
    AtomicLong clock = new AtomicLong();
    ScenarioPlanner flapping = new ScenarioPlanner(42, model -> FAST, clock::get);
    Directives d = Directives.parseModel("m@fault=503,flap=200").directives();

    List<Fault> faults = new ArrayList<>();
    for (long millis : new long[] {0, 199, 200, 399, 400, 650, 800, 1000}) {
      clock.set(millis);
      faults.add(flapping.plan("m", d, millis, FaultRates.NONE).fault());
    }

    Fault on = Fault.UNAVAILABLE;
    Fault off = Fault.NONE;
    assertEquals(List.of(on, on, off, off, on, off, on, off), faults);
  }

  @Test
  void faultRateAppliesTheFaultToThatShareOfRequestsAndReplays() {
    Directives quarter = Directives.parseModel("m@fault=500,fault-rate=0.25").directives();
    ScenarioPlanner same = new ScenarioPlanner(42, model -> FAST, () -> 0);

    int faulty = 0;
    for (long sequence = 0; sequence < 4000; sequence++) {
      Fault fault = planner.plan("m", quarter, sequence, FaultRates.NONE).fault();
      assertEquals(fault, same.plan("m", quarter, sequence, FaultRates.NONE).fault());
      if (fault == Fault.SERVER_ERROR) {
        faulty++;
      } else {
        assertEquals(Fault.NONE, fault);
      }
    }

    assertTrue(faulty > 850 && faulty < 1150, "faulty: " + faulty);
    Directives never = Directives.parseModel("m@fault=500,fault-rate=0").directives();
    Directives always = Directives.parseModel("m@fault=500,fault-rate=1").directives();
    for (long sequence = 0; sequence < 100; sequence++) {
      assertEquals(Fault.NONE, planner.plan("m", never, sequence, FaultRates.NONE).fault());
      assertEquals(
          Fault.SERVER_ERROR, planner.plan("m", always, sequence, FaultRates.NONE).fault());
    }
  }

  @Test
  void faultRateAlsoGatesFaultsDrawnFromTheAdminRates() {
    FaultRates always503 = new FaultRates(Map.of(Fault.UNAVAILABLE, 1.0));
    Directives never = Directives.parseModel("m@fault-rate=0").directives();

    assertEquals(Fault.NONE, planner.plan("m", never, 0, always503).fault());
  }

  @Test
  void randomCutPointReplaysForTheSameSeedAndSequence() {
    Directives random = Directives.parseModel("m@fault=cut-mid,cut-at=random").directives();
    ScenarioPlanner same = new ScenarioPlanner(42, model -> FAST, () -> 0);

    List<Integer> points = new ArrayList<>();
    for (long sequence = 0; sequence < 32; sequence++) {
      int point = planner.plan("m", random, sequence, FaultRates.NONE).tokensBeforeCut(10);
      assertEquals(point, same.plan("m", random, sequence, FaultRates.NONE).tokensBeforeCut(10));
      assertTrue(point >= 1 && point <= 9, "point " + point);
      points.add(point);
    }
    assertTrue(points.stream().distinct().count() > 3, points.toString());
  }

  @Test
  void newDirectivesLeaveTheOlderDrawsAlone() {
    FaultRates half = new FaultRates(Map.of(Fault.SERVER_ERROR, 0.5));
    Directives cutting = Directives.parseModel("m@cut-at=random,flap=100000").directives();

    for (long sequence = 0; sequence < 16; sequence++) {
      Scenario plain = planner.plan("m", Directives.NONE, sequence, half);
      Scenario withCut = planner.plan("m", cutting, sequence, half);
      assertEquals(plain.timingSeed(), withCut.timingSeed());
      assertEquals(plain.fault(), withCut.fault());
      assertEquals(plain.cutDraw(), withCut.cutDraw());
      assertEquals(CutPoint.HALF, plain.cutPoint());
    }
  }
}
