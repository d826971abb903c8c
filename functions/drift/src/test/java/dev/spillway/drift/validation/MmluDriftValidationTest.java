package dev.spillway.drift.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.drift.it.EmbeddingFunction;
import dev.spillway.drift.report.DriftReport;
import dev.spillway.drift.report.ReportBuilder;
import dev.spillway.drift.vocabulary.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's validation on real data, with fewer trials than the full run of {@link
 * DriftValidationRun} (whose figures are in {@code docs/benchmarks/drift.md}) so that it fits every
 * build: MMLU prompts embedded by the real embedding function (fp32 MiniLM), n = 1,000 per window,
 * 200 permutations, as the drift function scores a window. Seeds are fixed, so a run is
 * reproducible; the bounds leave room for the binomial noise of the trial counts.
 */
class MmluDriftValidationTest {

  static final Path MMLU =
      Path.of(System.getProperty("drift.test.mmlu-dir", "../../../shared/data/routing/mmlu"));
  static final Path TOKENIZER =
      Path.of("../../onnx-models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json");

  static DriftValidation validation;

  @BeforeAll
  static void embed() {
    MmluVectors data =
        MmluVectors.load(MMLU, EmbeddingFunction.url(), EmbeddingFunction.MODEL, 1_000, 6);
    validation =
        new DriftValidation(
            data, WordPieceTokenizer.load(TOKENIZER), DriftValidationRun.settings(), 1_000);
  }

  /** 100 splits at alpha 0.05: 5 false positives expected; more than 10 has probability 1.1 %. */
  @Test
  void twoHalvesOfTheSameMixAreRarelyCalledDrift() {
    DriftValidation.NullResult result = validation.noDrift(1_000, 100, 11);
    assertTrue(
        result.positives() <= 10,
        result.positives() + " of 100 null splits were called drift (alpha 0.05)");
    assertTrue(result.wilson95()[0] <= 0.05, "the interval excludes 5 %: " + result);
    assertTrue(
        result.meanAuc() > 0.44 && result.meanAuc() < 0.56,
        "the classifier tells two halves of one mix apart: mean AUC " + result.meanAuc());
  }

  @Test
  void twentyAndTenPercentOfHumanitiesPromptsAreDetected() {
    DriftValidation.DriftPoint twenty = validation.drift(0.20, 1_000, 10, 21);
    assertEquals(10, twenty.detected(), "20 %: " + twenty);
    DriftValidation.DriftPoint ten = validation.drift(0.10, 1_000, 10, 22);
    assertTrue(ten.detected() >= 8, "10 %: " + ten);
    assertTrue(twenty.meanAuc() > ten.meanAuc(), "AUC rises with the injected share");
    assertTrue(
        twenty.meanLowShare() > twenty.meanReferenceLowShare(),
        "injected prompts are poorly covered by a STEM corpus: " + twenty);
    assertTrue(twenty.meanLowShare() > ten.meanLowShare(), "coverage falls with the share");
  }

  @Test
  void theEmergingTermsOfTwentyPercentAreTheInjectedSubjects() {
    DriftValidation.Trial trial = validation.trial(0.20, 1_000, new SplittableRandom(5));
    DriftReport.Vocabulary vocabulary = trial.report().scores().vocabulary();
    double share = validation.injectedShare(trial, vocabulary.emergingTerms());
    assertTrue(
        share >= 0.8,
        "only "
            + share
            + " of the top emerging terms come from the injected prompts: "
            + vocabulary.emergingTerms());
    assertTrue(vocabulary.unseenShare() > 0, "no unseen terms with 20 % humanities prompts");
  }

  static ReportBuilder.Settings settings() {
    return DriftValidationRun.settings();
  }
}
