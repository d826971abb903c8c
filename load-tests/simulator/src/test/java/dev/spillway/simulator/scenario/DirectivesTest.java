package dev.spillway.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.simulator.Fault;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DirectivesTest {

  @Test
  void modelNameWithoutDirectivesStaysWhole() {
    Directives.ModelName plain = Directives.parseModel("gpt-4o-mini");
    Directives.ModelName versioned = Directives.parseModel("claude-3-5-sonnet@20240620");

    assertEquals("gpt-4o-mini", plain.name());
    assertEquals(Directives.NONE, plain.directives());
    assertEquals("claude-3-5-sonnet@20240620", versioned.name());
    assertEquals(Directives.NONE, versioned.directives());
  }

  @Test
  void everyDirectiveIsRead() {
    Directives.ModelName model =
        Directives.parseModel(
            "m@ttft=50, itl=2,tokens=20,fault=stall-first,usage=omit,retry-after=3,stall=1500");

    assertEquals("m", model.name());
    Directives d = model.directives();
    assertEquals(OptionalLong.of(50), d.ttftMillis());
    assertEquals(OptionalLong.of(2), d.itlMillis());
    assertEquals(OptionalInt.of(20), d.outputTokens());
    assertEquals(Optional.of(Fault.STALL_FIRST), d.fault());
    assertTrue(d.omitUsage());
    assertEquals(OptionalInt.of(3), d.retryAfterSeconds());
    assertEquals(OptionalLong.of(1500), d.stallMillis());
  }

  @Test
  void directivesAfterAVersionedNameSplitAtTheLastAt() {
    Directives.ModelName model = Directives.parseModel("claude-3@20240229@fault=503");

    assertEquals("claude-3@20240229", model.name());
    assertEquals(Optional.of(Fault.UNAVAILABLE), model.directives().fault());
  }

  @Test
  void malformedDirectivesAreRejectedByName() {
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Directives.parseModel("m@speed=1"));
    IllegalArgumentException badNumber =
        assertThrows(IllegalArgumentException.class, () -> Directives.parseModel("m@ttft=soon"));
    IllegalArgumentException badFault =
        assertThrows(IllegalArgumentException.class, () -> Directives.parseModel("m@fault=teapot"));
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> Directives.parseModel("m@itl=-1"));

    assertTrue(unknown.getMessage().contains("speed"));
    assertTrue(badNumber.getMessage().contains("ttft"));
    assertTrue(badFault.getMessage().contains("teapot"));
    assertTrue(negative.getMessage().contains("itl"));
  }

  @Test
  void headersAreReadAndNamedInErrors() {
    Map<String, String> headers =
        Map.of("x-sim-ttft-ms", "10", "x-sim-fault", "cut-mid", "x-sim-usage", "omit");
    Directives d = Directives.fromHeaders(headers::get);

    assertEquals(OptionalLong.of(10), d.ttftMillis());
    assertEquals(Optional.of(Fault.CUT_MID), d.fault());
    assertTrue(d.omitUsage());
    assertFalse(d.itlMillis().isPresent());
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> Directives.fromHeaders(Map.of("x-sim-tokens", "many")::get));
    assertTrue(bad.getMessage().contains("x-sim-tokens"));
  }

  @Test
  void headersOverrideModelDirectives() {
    Directives fromModel = Directives.parseModel("m@tokens=3,fault=503,ttft=9").directives();
    Directives fromHeaders =
        Directives.fromHeaders(Map.of("x-sim-tokens", "5", "x-sim-fault", "none")::get);

    Directives merged = fromModel.overriddenBy(fromHeaders);

    assertEquals(OptionalInt.of(5), merged.outputTokens());
    assertEquals(Optional.of(Fault.NONE), merged.fault());
    assertEquals(OptionalLong.of(9), merged.ttftMillis());
  }

  @Test
  void resilienceDirectivesAreRead() {
    Directives d =
        Directives.parseModel("m@fault=cut-mid,cut-at=3,flap=200,fault-rate=0.25").directives();
    Directives random = Directives.parseModel("m@fault=stall-mid,cut-at=random").directives();

    assertEquals(Optional.of(new CutPoint.AfterTokens(3)), d.cutAt());
    assertEquals(OptionalLong.of(200), d.flapMillis());
    assertEquals(OptionalDouble.of(0.25), d.faultRate());
    assertEquals(Optional.of(new CutPoint.Random()), random.cutAt());
    assertEquals(Optional.empty(), Directives.NONE.cutAt());
  }

  @Test
  void resilienceHeadersOverrideTheirDirectives() {
    Directives fromModel =
        Directives.parseModel("m@fault=cut-mid,cut-at=3,flap=200,fault-rate=0.25").directives();
    Directives fromHeaders =
        Directives.fromHeaders(
            Map.of("x-sim-cut-at", "random", "x-sim-flap-ms", "50", "x-sim-fault-rate", "1")::get);

    Directives merged = fromModel.overriddenBy(fromHeaders);

    assertEquals(Optional.of(new CutPoint.Random()), merged.cutAt());
    assertEquals(OptionalLong.of(50), merged.flapMillis());
    assertEquals(OptionalDouble.of(1.0), merged.faultRate());
    assertEquals(Optional.of(Fault.CUT_MID), merged.fault());
  }

  @Test
  void badResilienceValuesAreRejectedByName() {
    for (String[] bad :
        new String[][] {
          {"m@cut-at=soon", "cut-at"},
          {"m@cut-at=-2", "cut-at"},
          {"m@flap=0", "flap"},
          {"m@flap=fast", "flap"},
          {"m@fault-rate=1.5", "fault-rate"},
          {"m@fault-rate=often", "fault-rate"},
          {"m@fault-rate=NaN", "fault-rate"},
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Directives.parseModel(bad[0]));
      assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
    }
    for (String header : new String[] {"x-sim-cut-at", "x-sim-flap-ms", "x-sim-fault-rate"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> Directives.fromHeaders(Map.of(header, "-7")::get));
      assertTrue(e.getMessage().contains(header), e.getMessage());
    }
  }
}
