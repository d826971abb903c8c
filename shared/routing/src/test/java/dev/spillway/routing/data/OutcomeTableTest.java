package dev.spillway.routing.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading outcome tables: both layouts, and every mistake named. */
class OutcomeTableTest {

  @TempDir Path dir;

  private Path csv(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void readsPromptsCategoriesAndOutcomesInEveryNotation() throws Exception {
    OutcomeTable table =
        OutcomeTable.read(
            csv(
                "t.csv",
                "id,prompt,category,small,large\n"
                    + "1,\"What is 2+2?\nA. 3\nB. 4\",maths,False,True\n"
                    + "2,\"Name, a colour\",,1,0.5\n"));
    assertEquals(List.of("small", "large"), table.candidates());
    assertEquals(2, table.rows().size());
    assertEquals("What is 2+2?\nA. 3\nB. 4", table.rows().get(0).prompt());
    assertEquals("maths", table.rows().get(0).category());
    assertEquals(OutcomeTable.DEFAULT_CATEGORY, table.rows().get(1).category());
    assertArrayEquals(new double[] {1, 0.5}, table.rows().get(1).quality());
    assertEquals(1, table.strongest());
    assertEquals(0, table.weakest(), "0.5 vs 0.75");
  }

  @Test
  void aCellThatIsNoOutcomeIsNamedWithItsRowAndColumn() throws Exception {
    Path file = csv("bad.csv", "prompt,small,large\nq1,True,False\nq2,yes,True\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OutcomeTable.read(file));
    assertTrue(e.getMessage().contains("row 2 column 'small': 'yes'"), e.getMessage());
  }

  @Test
  void aMissingPromptColumnOrASingleCandidateIsRefused() throws Exception {
    Path noPrompt = csv("np.csv", "text,small,large\nq,True,False\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> OutcomeTable.read(noPrompt))
            .getMessage()
            .contains("no 'prompt' column"));
    Path one = csv("one.csv", "prompt,small\nq,True\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> OutcomeTable.read(one))
            .getMessage()
            .contains("a router needs two or more"));
    Path outOfRange = csv("range.csv", "prompt,small,large\nq,1.5,0\n");
    assertThrows(IllegalArgumentException.class, () -> OutcomeTable.read(outOfRange));
  }

  @Test
  void anMmluDirectoryTakesSubjectsFromFileNamesAndDropsContaminatedPrompts() throws Exception {
    Path mmlu = Files.createDirectory(dir.resolve("mmlu"));
    Files.writeString(
        mmlu.resolve("mmlu_anatomy.csv"), "prompt,w,s\na1,True,True\na2,False,True\n");
    Files.writeString(mmlu.resolve("mmlu_virology.csv"), "prompt,w,s\nv1,False,False\n");
    Files.writeString(
        mmlu.resolve("contaminated_prompts.jsonl"),
        "{\"eval_prompt\":\"a2\",\"train_prompt\":\"x\"}\n");
    OutcomeTable table = OutcomeTable.read(mmlu);
    assertEquals(List.of("a1", "v1"), table.rows().stream().map(Outcome::prompt).toList());
    assertEquals(
        List.of("anatomy", "virology"), table.rows().stream().map(Outcome::category).toList());
  }
}
