package dev.spillway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterCommandTest {

  @TempDir Path dir;

  /**
   * An outcome table where "integral" questions (a third, at random) defeat the small candidate and
   * "capital" ones do not; the large one answers all.
   */
  private Path outcomes(String name, long seed, int prompts, int categories) throws Exception {
    StringBuilder csv = new StringBuilder("prompt,category,small,large\n");
    Random random = new Random(seed);
    for (int i = 0; i < prompts; i++) {
      boolean hard = random.nextInt(3) == 0;
      csv.append("\"question ")
          .append(i)
          .append(hard ? " integral of x" : " capital city")
          .append("\",c")
          .append(i % categories)
          .append(',')
          .append(hard ? "False" : "True")
          .append(",True\n");
    }
    Path file = dir.resolve(name);
    Files.writeString(file, csv);
    return file;
  }

  @Test
  void evaluatesEveryScorerOnBothSplitsAndChecksTheFloors() throws Exception {
    Path file = outcomes("outcomes.csv", 3, 600, 6);
    Path out = dir.resolve("report.md");

    String report =
        RouterCommand.run(
            new String[] {
              "eval", "--data", file.toString(), "--bootstrap", "20", "--out", out.toString()
            });

    for (String expected :
        new String[] {
          "### folds over prompts",
          "### folds grouped by category",
          "| random |",
          "| length |",
          "| category-gap |",
          "| bow-ridge+category |",
          "| bow-ridge+category+shape |",
          "### floors: 95 %",
          "| c0 | 100 |"
        }) {
      assertTrue(report.contains(expected), "missing «" + expected + "» in:\n" + report);
    }
    assertTrue(Files.readString(out).equals(report), "--out holds the same report");
  }

  @Test
  void trainsARouterFileAndScoresACsvWithIt() throws Exception {
    Path data = outcomes("train.csv", 5, 400, 2);
    Path router = dir.resolve("router.json");

    String trained =
        RouterCommand.run(
            new String[] {
              "train", "--data", data.toString(), "--out", router.toString(), "--licence", "CC0"
            });
    assertTrue(trained.contains("2 categories") && trained.contains("apgr_out_of_fold"), trained);

    Path heldOut = dir.resolve("heldout.json");
    String split =
        RouterCommand.run(
            new String[] {
              "train",
              "--data",
              data.toString(),
              "--out",
              dir.resolve("split.json").toString(),
              "--licence",
              "CC0",
              "--holdout",
              "0.25",
              "--holdout-out",
              heldOut.toString()
            });
    assertTrue(split.contains("100 held-out prompts"), split);
    com.fasterxml.jackson.databind.JsonNode held =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(heldOut.toFile());
    assertEquals(100, held.size());
    assertEquals(
        50,
        java.util.stream.StreamSupport.stream(held.spliterator(), false)
            .filter(p -> p.path("category").asText().equals("c0"))
            .count(),
        "stratified by category");
    assertTrue(held.get(0).path("outcomes").has("large"));
    assertTrue(
        dev.spillway.routing.model.RouterFile.read(dir.resolve("split.json")).about().trainedOn()
            == 300,
        "trained without the held-out prompts");

    Path prompts = dir.resolve("prompts.csv");
    Files.writeString(
        prompts, "id,prompt,category\na,\"the integral of x, please\",c0\nb,capital city,\n");
    Path scores = dir.resolve("scores.csv");
    RouterCommand.run(
        new String[] {
          "score",
          "--router",
          router.toString(),
          "--in",
          prompts.toString(),
          "--out",
          scores.toString()
        });
    List<String> lines = Files.readAllLines(scores);
    assertEquals("id,score", lines.get(0));
    assertEquals(3, lines.size());
    double hard = Double.parseDouble(lines.get(1).substring(2));
    double easy = Double.parseDouble(lines.get(2).substring(2));
    assertTrue(hard > easy && hard <= 1 && easy >= 0, lines.toString());

    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    RouterCommand.run(
                        new String[] {"train", "--data", data.toString(), "--out", "x.json"}))
            .getMessage()
            .contains("--licence is required"));
    Files.writeString(prompts, "key,text\n1,hello\n");
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    RouterCommand.run(
                        new String[] {
                          "score",
                          "--router",
                          router.toString(),
                          "--in",
                          prompts.toString(),
                          "--out",
                          scores.toString()
                        }))
            .getMessage()
            .contains("'id' and 'prompt' are required"));
  }

  @Test
  void badArgumentsNameTheProblem() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> RouterCommand.run(new String[] {"fit"}))
            .getMessage()
            .startsWith("usage:"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    RouterCommand.run(
                        new String[] {"eval", "--data", dir.resolve("none").toString()}))
            .getMessage()
            .contains("no such file"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    RouterCommand.run(
                        new String[] {"eval", "--data", dir.toString(), "--floor", "1.2"}))
            .getMessage()
            .contains("--floor must be a number between 0 and 1"));
  }
}
