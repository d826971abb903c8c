package dev.spillway.drift.validation;

import dev.spillway.drift.report.DriftReport;
import dev.spillway.drift.report.ReportBuilder;
import dev.spillway.drift.vocabulary.TermStatistics;
import dev.spillway.drift.vocabulary.WordPieceTokenizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The validation of issue 6 on real data: MMLU prompts embedded by the real model, scored by {@link
 * ReportBuilder} exactly as the drift function scores a window. Used by {@code
 * MmluDriftValidationTest} (fewer trials, in every build) and by {@link #main} (the full run whose
 * figures are in {@code docs/benchmarks/drift.md}).
 *
 * <p>The STEM prompts are cut once into a corpus sample (the first {@code corpusSize}) and a pool
 * that references and windows are drawn from, so that a query is never scored against itself in the
 * corpus. Coverage top-1 similarities are computed exactly in memory here (the function asks
 * pgvector's HNSW index, whose answer is the same or, rarely, a near-tie).
 */
public final class DriftValidation {

  private final MmluVectors data;
  private final WordPieceTokenizer tokenizer;
  private final ReportBuilder.Settings settings;
  private final float[][] corpus;
  private final int corpusSize;

  public DriftValidation(
      MmluVectors data,
      WordPieceTokenizer tokenizer,
      ReportBuilder.Settings settings,
      int corpusSize) {
    this.data = data;
    this.tokenizer = tokenizer;
    this.settings = settings;
    this.corpusSize = corpusSize;
    this.corpus = java.util.Arrays.copyOfRange(data.stem(), 0, corpusSize);
  }

  /** The no-drift experiment's outcome. */
  public record NullResult(
      int n, int splits, int positives, double[] wilson95, double meanAuc, double maxAuc) {

    public double rate() {
      return (double) positives / splits;
    }
  }

  /**
   * Two random disjoint halves of the same subject mix (STEM and humanities prompts pooled), {@code
   * splits} times: how often the MMD test calls drift where there is none.
   */
  public NullResult noDrift(int n, int splits, long seed) {
    List<float[]> pool = new ArrayList<>();
    for (int i = corpusSize; i < data.stem().length; i++) {
      pool.add(data.stem()[i]);
    }
    for (float[] v : data.humanities()) {
      pool.add(v);
    }
    if (pool.size() < 2 * n) {
      throw new IllegalArgumentException(
          "the pool holds " + pool.size() + " prompts, need " + 2 * n);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int positives = 0;
    double aucSum = 0;
    double aucMax = 0;
    for (int s = 0; s < splits; s++) {
      int[] pick = sample(pool.size(), 2 * n, random);
      float[][] a = new float[n][];
      float[][] b = new float[n][];
      for (int i = 0; i < n; i++) {
        a[i] = pool.get(pick[i]);
        b[i] = pool.get(pick[n + i]);
      }
      DriftReport report = build(a, b, null, null, null, null, random.nextLong());
      if (DriftReport.DRIFT.equals(report.verdict())) {
        positives++;
      }
      double auc = report.scores().domainClassifier().statistic();
      aucSum += auc;
      aucMax = Math.max(aucMax, auc);
    }
    return new NullResult(n, splits, positives, wilson(positives, splits), aucSum / splits, aucMax);
  }

  /** One point of the detection curve. */
  public record DriftPoint(
      double fraction,
      int n,
      int trials,
      int detected,
      double meanAuc,
      double meanCentroid,
      double meanUnseenShare,
      double meanLowShare,
      double meanReferenceLowShare,
      double meanPValue) {

    public double rate() {
      return (double) detected / trials;
    }
  }

  /**
   * A STEM reference against windows where {@code fraction} of the prompts are humanities ones,
   * {@code trials} times (a fresh reference and window each time).
   */
  public DriftPoint drift(double fraction, int n, int trials, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int detected = 0;
    double auc = 0;
    double centroid = 0;
    double unseen = 0;
    double low = 0;
    double refLow = 0;
    double p = 0;
    for (int t = 0; t < trials; t++) {
      Trial trial = trial(fraction, n, random);
      DriftReport report = trial.report();
      if (DriftReport.DRIFT.equals(report.verdict())) {
        detected++;
      }
      DriftReport.Scores s = report.scores();
      auc += s.domainClassifier().statistic();
      centroid += s.centroid().statistic();
      unseen += s.vocabulary().unseenShare();
      low += s.coverage().lowShare();
      refLow += s.coverage().referenceLowShare();
      p += s.mmd().pValue();
    }
    return new DriftPoint(
        fraction,
        n,
        trials,
        detected,
        auc / trials,
        centroid / trials,
        unseen / trials,
        low / trials,
        refLow / trials,
        p / trials);
  }

  /** One drift trial: its report, and which current-window texts were injected. */
  public record Trial(DriftReport report, List<String> injectedTexts, List<String> stemTexts) {}

  /** One trial of {@link #drift}. */
  public Trial trial(double fraction, int n, SplittableRandom random) {
    int injected = (int) Math.round(fraction * n);
    int stemPool = data.stem().length - corpusSize;
    int[] stemPick = sample(stemPool, 2 * n - injected, random);
    int[] humPick = sample(data.humanities().length, injected, random);
    float[][] reference = new float[n][];
    List<String> referenceTexts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      reference[i] = data.stem()[corpusSize + stemPick[i]];
      referenceTexts.add(data.stemTexts().get(corpusSize + stemPick[i]));
    }
    float[][] current = new float[n][];
    List<String> currentStem = new ArrayList<>();
    List<String> currentInjected = new ArrayList<>();
    for (int i = 0; i < n - injected; i++) {
      int k = corpusSize + stemPick[n + i];
      current[i] = data.stem()[k];
      currentStem.add(data.stemTexts().get(k));
    }
    for (int i = 0; i < injected; i++) {
      current[n - injected + i] = data.humanities()[humPick[i]];
      currentInjected.add(data.humanitiesTexts().get(humPick[i]));
    }
    List<String> currentTexts = new ArrayList<>(currentStem);
    currentTexts.addAll(currentInjected);
    DriftReport report =
        build(
            reference,
            current,
            TermStatistics.of(tokenizer, referenceTexts),
            TermStatistics.of(tokenizer, currentTexts),
            top1(reference),
            top1(current),
            random.nextLong());
    return new Trial(report, currentInjected, currentStem);
  }

  private DriftReport build(
      float[][] reference,
      float[][] current,
      TermStatistics referenceTerms,
      TermStatistics currentTerms,
      double[] referenceTop1,
      double[] currentTop1,
      long seed) {
    ReportBuilder.Settings s =
        new ReportBuilder.Settings(
            settings.permutations(),
            settings.alpha(),
            settings.aucThreshold(),
            settings.folds(),
            settings.centroidThreshold(),
            settings.lowSimilarity(),
            settings.unseenShareThreshold(),
            settings.emergingTerms(),
            settings.maxSamples(),
            seed);
    return ReportBuilder.build(
        new ReportBuilder.Inputs(
            "validation",
            "mmlu",
            new DriftReport.Window(Instant.EPOCH, Instant.EPOCH, current.length, current.length),
            new DriftReport.Reference("uploaded", null, reference.length),
            reference,
            current,
            referenceTerms == null ? TermStatistics.empty() : referenceTerms,
            currentTerms == null ? TermStatistics.empty() : currentTerms,
            referenceTop1 == null ? 0 : corpus.length,
            referenceTop1,
            currentTop1,
            2),
        s,
        Instant.EPOCH);
  }

  /** Each query's cosine similarity to its nearest corpus document (vectors are unit length). */
  double[] top1(float[][] queries) {
    double[] best = new double[queries.length];
    java.util.stream.IntStream.range(0, queries.length)
        .parallel()
        .forEach(
            q -> {
              float[] x = queries[q];
              double max = -2;
              for (float[] doc : corpus) {
                double dot = 0;
                for (int d = 0; d < x.length; d++) {
                  dot += x[d] * doc[d];
                }
                max = Math.max(max, dot);
              }
              best[q] = max;
            });
    return best;
  }

  /** {@code k} distinct indexes of {@code [0, n)}, uniformly (a partial Fisher-Yates shuffle). */
  static int[] sample(int n, int k, SplittableRandom random) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, k);
  }

  /** Wilson score interval at 95 % for {@code successes} of {@code n}. */
  static double[] wilson(int successes, int n) {
    double z = 1.959963984540054;
    double p = (double) successes / n;
    double denominator = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
    return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
  }

  /**
   * Share of {@code terms} that belong to the injected prompts: a term is theirs when it occurs
   * more often in the window's injected prompts than in its STEM prompts.
   */
  public double injectedShare(Trial trial, List<DriftReport.EmergingTerm> terms) {
    TermStatistics injected = TermStatistics.of(tokenizer, trial.injectedTexts());
    TermStatistics stem = TermStatistics.of(tokenizer, trial.stemTexts());
    int theirs = 0;
    for (DriftReport.EmergingTerm term : terms) {
      if (injected.count(term.term()) > stem.count(term.term())) {
        theirs++;
      }
    }
    return terms.isEmpty() ? 0 : (double) theirs / terms.size();
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }
}
