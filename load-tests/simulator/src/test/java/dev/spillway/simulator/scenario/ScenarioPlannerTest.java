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
import org.junit.jupiter.api.Test;

class ScenarioPlannerTest {

  private static final ModelProfile SLOW = new ModelProfile(400, 0.5, 30, 0.2, 100);
  private static final ModelProfile FAST = new ModelProfile(20, 0, 1, 0, 5);

  private final ScenarioPlanner planner =
      new ScenarioPlanner(42, model -> model.equals("slow") ? SLOW : FAST);

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
    ScenarioPlanner same = new ScenarioPlanner(42, model -> FAST);
    ScenarioPlanner other = new ScenarioPlanner(43, model -> FAST);

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
}
