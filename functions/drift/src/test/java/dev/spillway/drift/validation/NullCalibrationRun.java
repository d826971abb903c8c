package dev.spillway.drift.validation;

import dev.spillway.drift.vocabulary.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The MMD test's false-positive rate over many no-drift splits, to tell binomial noise from a
 * miscalibration (a few hundred splits leave an interval several points wide). Reads the vectors
 * {@link DriftValidationRun} cached (run it first), so it needs no embedding function.
 *
 * <p>Usage, from {@code functions/drift}: {@code NullCalibrationRun <mmlu-dir> <tokenizer.json> <n>
 * <splits> <seed>}.
 */
public final class NullCalibrationRun {

  public static void main(String[] args) {
    MmluVectors data =
        MmluVectors.load(Path.of(args[0]), "http://127.0.0.1:1", "all-minilm-l6-v2", 1_000, 6);
    DriftValidation validation =
        new DriftValidation(
            data, WordPieceTokenizer.load(Path.of(args[1])), DriftValidationRun.settings(), 1_000);
    int n = Integer.parseInt(args[2]);
    int splits = Integer.parseInt(args[3]);
    long started = System.nanoTime();
    DriftValidation.NullResult result = validation.noDrift(n, splits, Long.parseLong(args[4]));
    System.out.printf(
        Locale.ROOT,
        "| %d | %d | %d | %.1f %% | %.1f-%.1f %% | (mean AUC %.3f, %.0f s)%n",
        n,
        splits,
        result.positives(),
        100 * result.rate(),
        100 * result.wilson95()[0],
        100 * result.wilson95()[1],
        result.meanAuc(),
        (System.nanoTime() - started) / 1e9);
  }
}
