package dev.spillway.drift.validation;

import dev.spillway.drift.report.DriftReport;
import dev.spillway.drift.report.ReportBuilder;
import dev.spillway.drift.vocabulary.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The full validation run of issue 6, printed as Markdown for {@code docs/benchmarks/drift.md}.
 *
 * <p>Usage: {@code DriftValidationRun <mmlu-dir> <embedding-url> <tokenizer.json> [splits=200]
 * [trials=100] [n=1000]}; {@code load-tests/bench/drift-bench.sh} starts the embedding function and
 * runs it.
 */
public final class DriftValidationRun {

  /** The drift function's default scoring settings ({@code drift.scoring.*}). */
  static ReportBuilder.Settings settings() {
    return new ReportBuilder.Settings(200, 0.05, 0.6, 5, 0.02, 0.5, 0.1, 20, 2500, 20261127L);
  }

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println(
          "usage: DriftValidationRun <mmlu-dir> <embedding-url> <tokenizer.json> [splits] [trials]"
              + " [n]");
      System.exit(2);
    }
    int splits = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    int trials = args.length > 4 ? Integer.parseInt(args[4]) : 100;
    int n = args.length > 5 ? Integer.parseInt(args[5]) : 1_000;
    long started = System.nanoTime();
    MmluVectors data = MmluVectors.load(Path.of(args[0]), args[1], "all-minilm-l6-v2", 1_000, 6);
    System.err.printf(
        Locale.ROOT,
        "embedded %d STEM and %d humanities prompts in %.0f s%n",
        data.stem().length,
        data.humanities().length,
        (System.nanoTime() - started) / 1e9);
    DriftValidation validation =
        new DriftValidation(data, WordPieceTokenizer.load(Path.of(args[2])), settings(), 1_000);

    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Data: %d STEM prompts (1,000 of them the corpus sample, the rest the pool of references"
                + " and windows) and %d humanities prompts (history, philosophy, law), embedded by"
                + " the embedding function (fp32 all-MiniLM-L6-v2). n = %d per window, %d"
                + " permutations, alpha %.2f.%n%n",
            data.stem().length,
            data.humanities().length,
            n,
            settings().permutations(),
            settings().alpha()));

    long t0 = System.nanoTime();
    DriftValidation.NullResult none = validation.noDrift(n, splits, 11);
    md.append("### No drift\n\n")
        .append(
            String.format(
                Locale.ROOT,
                "%d random splits of the pooled STEM and humanities prompts into two disjoint"
                    + " halves of %d: the MMD test called drift in **%d (%.1f %%, 95 %% Wilson"
                    + " interval %.1f-%.1f %%)**. Classifier AUC: mean %.3f, highest %.3f. (%.0f s)%n%n",
                none.splits(),
                n,
                none.positives(),
                100 * none.rate(),
                100 * none.wilson95()[0],
                100 * none.wilson95()[1],
                none.meanAuc(),
                none.maxAuc(),
                (System.nanoTime() - t0) / 1e9));

    md.append("### Drift: STEM reference, humanities prompts injected into the window\n\n")
        .append(
            "| Injected | Detected (MMD p < 0.05) | 95 % interval | mean p | classifier AUC |"
                + " centroid distance | unseen-term share | low-coverage share (window / reference) |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (double fraction : List.of(0.0, 0.02, 0.05, 0.10, 0.20)) {
      long t = System.nanoTime();
      DriftValidation.DriftPoint point =
          validation.drift(fraction, n, trials, 100 + Math.round(fraction * 100));
      double[] ci = DriftValidation.wilson(point.detected(), point.trials());
      md.append(
          String.format(
              Locale.ROOT,
              "| %.0f %% | %d / %d (%.0f %%) | %.0f-%.0f %% | %.4f | %.3f | %.4f | %.3f | %.3f / %.3f |%n",
              100 * fraction,
              point.detected(),
              point.trials(),
              100 * point.rate(),
              100 * ci[0],
              100 * ci[1],
              point.meanPValue(),
              point.meanAuc(),
              point.meanCentroid(),
              point.meanUnseenShare(),
              point.meanLowShare(),
              point.meanReferenceLowShare()));
      System.err.printf(
          Locale.ROOT, "fraction %.2f done in %.0f s%n", fraction, (System.nanoTime() - t) / 1e9);
    }

    DriftValidation.Trial trial = validation.trial(0.20, n, new SplittableRandom(5));
    List<DriftReport.EmergingTerm> terms = trial.report().scores().vocabulary().emergingTerms();
    md.append(
            String.format(
                Locale.ROOT,
                "%n### Emerging terms at 20 %%%n%nOne window (seed 5): %.0f %% of the top %d"
                    + " emerging terms occur more often in the injected humanities prompts than in"
                    + " the window's STEM prompts.%n%n",
                100 * validation.injectedShare(trial, terms),
                terms.size()))
        .append("| Term | Window | Reference | z |\n|---|---|---|---|\n");
    for (DriftReport.EmergingTerm term : terms) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.2f |%n",
              term.term(),
              term.currentCount(),
              term.referenceCount(),
              term.score()));
    }
    md.append(
        String.format(Locale.ROOT, "%nTotal time: %.0f s.%n", (System.nanoTime() - started) / 1e9));
    System.out.print(md);
  }
}
