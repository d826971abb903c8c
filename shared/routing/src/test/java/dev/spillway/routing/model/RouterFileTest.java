package dev.spillway.routing.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.routing.calibration.ThresholdCalibration;
import dev.spillway.routing.data.Outcome;
import dev.spillway.routing.data.OutcomeTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterFileTest {

  @TempDir static Path dir;

  static OutcomeTable table;
  static RouterModel router;

  /**
   * Prompts about integrals need the large model, prompts about capitals do not; category c0 is
   * always easy, c1 has too few prompts for any threshold to be proved safe.
   */
  @BeforeAll
  static void train() {
    Random random = new Random(7);
    List<Outcome> rows = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      boolean hard = random.nextInt(3) == 0;
      String category = i < 8 ? "c1" : "c0";
      String text =
          "question " + i + (hard ? " integral of x squared" : " capital city of a country");
      rows.add(new Outcome(text, category, new double[] {hard ? 0 : 1, 1}));
    }
    table = new OutcomeTable(List.of("small", "large"), rows);
    router =
        RouterTraining.train(
            table,
            new RouterTraining.Options(
                5, 42, 4.0, 0.05, ThresholdCalibration.Method.CLOPPER_PEARSON),
            "abc",
            "synthetic",
            "CC0 test data");
  }

  @Test
  void routesHardPromptsToTheStrongCandidateAndEasyOnesToTheWeak() {
    RouterModel.Decision hard = router.route("question 99999 integral of x squared", "c0", 0.95);
    RouterModel.Decision easy =
        router.route("question 99999 capital city of a country", "c0", 0.95);
    assertEquals(1, hard.candidate());
    assertEquals(0, easy.candidate());
    assertEquals("floor", easy.reason());
    assertTrue(hard.probability() > easy.probability(), "the probability follows the score");
    assertTrue(hard.probability() > 0.5 && easy.probability() < 0.5, hard + " " + easy);
  }

  @Test
  void aCategoryTooSmallToCalibrateAndAnUnknownOneGoToTheStrongest() {
    assertEquals(RouterModel.ALL_STRONG, router.threshold("c1", 0.95));
    assertEquals(1, router.route("capital city of a country", "c1", 0.95).candidate());
    RouterModel.Decision unknown = router.route("capital city of a country", "c9", 0.95);
    assertEquals(1, unknown.candidate());
    assertEquals("uncalibrated-category", unknown.reason());
  }

  @Test
  void aFloorIsServedByTheNextWholePercentAtOrAboveIt() {
    assertEquals(router.threshold("c0", 0.95), router.threshold("c0", 0.9401));
    assertEquals(router.threshold("c0", 0.96), router.threshold("c0", 0.951));
    assertEquals(router.threshold("c0", 0.50), router.threshold("c0", 0.2));
    // A stricter floor never lets more prompts go to the weak candidate.
    for (int f = 1; f < RouterModel.GRID_SIZE; f++) {
      double looser = router.threshold("c0", RouterModel.floorGrid(f - 1));
      double stricter = router.threshold("c0", RouterModel.floorGrid(f));
      assertTrue(stricter <= looser, "floor " + RouterModel.floorGrid(f));
    }
    assertThrows(IllegalArgumentException.class, () -> router.route("x", "c0", 1.5));
  }

  @Test
  void aWrittenRouterReadsBackTheSame() {
    Path file = dir.resolve("router.json");
    RouterFile.write(router, file);
    RouterModel read = RouterFile.read(file);
    assertEquals(router.candidates(), read.candidates());
    assertEquals(router.categories(), read.categories());
    assertArrayEquals(router.thresholds().get("c0"), read.thresholds().get("c0"));
    assertArrayEquals(router.scorer().weights(), read.scorer().weights());
    assertEquals(router.about(), read.about());
    String prompt = "question 5 integral of x squared";
    assertEquals(router.probability(prompt, "c0"), read.probability(prompt, "c0"));
  }

  @Test
  void aCorruptOrForeignFileIsRefusedNamingTheProblem() throws Exception {
    Path file = dir.resolve("edited.json");
    RouterFile.write(router, file);
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Files.writeString(file, text.replaceFirst("\"delta\" : 0.05", "\"delta\" : 0.5"));
    String corrupt =
        assertThrows(IllegalArgumentException.class, () -> RouterFile.read(file)).getMessage();
    assertTrue(corrupt.contains(file.toString()) && corrupt.contains("corrupt"), corrupt);

    Files.writeString(file, text.substring(0, text.length() / 2));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> RouterFile.read(file))
            .getMessage()
            .contains("not JSON"));

    Files.writeString(file, "{\"format\":\"spillway.logistic-head.v1\"}");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> RouterFile.read(file))
            .getMessage()
            .contains("expected 'spillway.router.v1'"));

    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> RouterFile.read(dir.resolve("none")))
            .getMessage()
            .contains("cannot be read"));
  }
}
