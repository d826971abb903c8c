package dev.spillway.drift.validation;

import dev.spillway.drift.vocabulary.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The detection rate at one injected share over many windows, for a tighter interval than the 100
 * windows per share of {@link DriftValidationRun}. Reads the vectors that run cached.
 *
 * <p>Usage, from {@code functions/drift}: {@code DetectionRateRun <mmlu-dir> <tokenizer.json>
 * <share> <n> <trials> <seed>}.
 */
public final class DetectionRateRun {

  public static void main(String[] args) {
    MmluVectors data =
        MmluVectors.load(Path.of(args[0]), "http://127.0.0.1:1", "all-minilm-l6-v2", 1_000, 6);
    DriftValidation validation =
        new DriftValidation(
            data, WordPieceTokenizer.load(Path.of(args[1])), DriftValidationRun.settings(), 1_000);
    double share = Double.parseDouble(args[2]);
    long started = System.nanoTime();
    DriftValidation.DriftPoint point =
        validation.drift(
            share, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]));
    double[] ci = DriftValidation.wilson(point.detected(), point.trials());
    System.out.printf(
        Locale.ROOT,
        "| %.0f %% | %d | %d / %d (%.1f %%) | %.1f-%.1f %% | (%.0f s)%n",
        100 * share,
        point.n(),
        point.detected(),
        point.trials(),
        100 * point.rate(),
        100 * ci[0],
        100 * ci[1],
        (System.nanoTime() - started) / 1e9);
  }
}
