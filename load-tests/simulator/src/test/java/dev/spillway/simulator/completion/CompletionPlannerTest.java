package dev.spillway.simulator.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.simulator.Fault;
import dev.spillway.simulator.ModelProfile;
import dev.spillway.simulator.scenario.CutPoint;
import dev.spillway.simulator.scenario.Scenario;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CompletionPlannerTest {

  private final TextGenerator text = new TextGenerator();
  private final CompletionPlanner planner =
      new CompletionPlanner(text, new SchemaInstanceGenerator(text));

  private static Scenario scenario(Fault fault, int tokens) {
    return new Scenario(
        0,
        new ModelProfile(0, 0, 0, 0, tokens),
        fault,
        false,
        OptionalInt.empty(),
        0,
        99,
        CutPoint.HALF,
        0.5);
  }

  private static CompletionRequest request(OutputShape shape, OptionalInt max) {
    return new CompletionRequest("m@tokens=3", false, false, 5, max, shape, false);
  }

  @Test
  void textAnswerHasTheProfilesTokenCountAndStops() {
    Completion completion =
        planner.plan(
            request(new OutputShape.Text(), OptionalInt.empty()),
            "m",
            scenario(Fault.NONE, 9),
            1,
            1_700_000_000);

    assertEquals(9, completion.completionTokens());
    assertEquals(Completion.Finish.STOP, completion.finish());
    assertEquals("m", completion.model());
    assertFalse(completion.pieces().get(0).startsWith(" "));
    assertTrue(completion.pieces().get(1).startsWith(" "));
    assertTrue(completion.text().endsWith("."));
  }

  @Test
  void sameSeedSameContentOtherSeedOtherContent() {
    CompletionRequest request = request(new OutputShape.Text(), OptionalInt.empty());
    String first = planner.plan(request, "m", scenario(Fault.NONE, 30), 1, 0).text();
    String again = planner.plan(request, "m", scenario(Fault.NONE, 30), 1, 0).text();
    String other = planner.plan(request, "m", scenario(Fault.NONE, 30), 2, 0).text();

    assertEquals(first, again);
    assertNotEquals(first, other);
  }

  @Test
  void maxTokensCutsAnyShape() throws Exception {
    JsonNode schema =
        new ObjectMapper()
            .readTree("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
    Completion text =
        planner.plan(
            request(new OutputShape.Text(), OptionalInt.of(4)), "m", scenario(Fault.NONE, 9), 1, 0);
    Completion tool =
        planner.plan(
            request(new OutputShape.ToolCall("f", schema), OptionalInt.of(2)),
            "m",
            scenario(Fault.NONE, 9),
            1,
            0);

    assertEquals(4, text.completionTokens());
    assertEquals(Completion.Finish.LENGTH, text.finish());
    assertEquals(2, tool.completionTokens());
    assertEquals("{\"city\":", tool.text());
    assertEquals(Completion.Finish.LENGTH, tool.finish());
    assertTrue(tool.isToolCall());
  }

  @Test
  void contentFaultsShapeTheText() {
    CompletionRequest json = request(new OutputShape.JsonObject(), OptionalInt.empty());

    Completion empty = planner.plan(json, "m", scenario(Fault.EMPTY, 9), 1, 0);
    Completion truncated = planner.plan(json, "m", scenario(Fault.TRUNCATED_JSON, 9), 1, 0);
    Completion prose = planner.plan(json, "m", scenario(Fault.INVALID_JSON, 9), 1, 0);
    Completion whole = planner.plan(json, "m", scenario(Fault.NONE, 9), 1, 0);

    assertEquals(List.of(), empty.pieces());
    assertEquals(Completion.Finish.STOP, empty.finish());
    assertTrue(whole.text().startsWith(truncated.text()));
    assertTrue(truncated.text().length() < whole.text().length());
    assertTrue(prose.text().startsWith("Sure!"));
    assertEquals(9 + 2, whole.completionTokens(), "opening, one piece per word, closing");
  }

  @Test
  void splitNeverSeparatesASurrogatePair() {
    String emoji = "ab\uD83D\uDE00cdefgh";

    List<String> pieces = CompletionPlanner.split(emoji);

    assertEquals(emoji, String.join("", pieces));
    for (String piece : pieces) {
      assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)), piece);
    }
  }
}
