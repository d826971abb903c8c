package dev.spillway.drift.report;

import dev.spillway.drift.config.DriftConfig;
import dev.spillway.drift.scoring.CentroidDistance;
import dev.spillway.drift.scoring.DomainClassifierAuc;
import dev.spillway.drift.scoring.KolmogorovSmirnov;
import dev.spillway.drift.scoring.MmdPermutationTest;
import dev.spillway.drift.vocabulary.TermStatistics;
import dev.spillway.drift.vocabulary.VocabularyDrift;
import java.time.Instant;
import java.util.Arrays;

/**
 * Scores a current window against a reference and turns the scores into a {@link DriftReport}: the
 * statistics of {@code dev.spillway.drift.scoring} and {@code .vocabulary}, each against its
 * threshold, and the overall verdict (the MMD test's). Plain Java, free of storage, so that the
 * validation on real data runs it exactly as the function does. Stateless; thread-safe.
 */
public final class ReportBuilder {

  /**
   * Scoring settings (from {@code drift.scoring.*}).
   *
   * @param permutations MMD permutations
   * @param alpha significance level of the MMD and KS tests
   * @param aucThreshold classifier AUC at or above which the windows are told apart
   * @param folds classifier cross-validation folds
   * @param centroidThreshold centroid cosine distance at or above which the centroid moved
   * @param lowSimilarity top-1 corpus similarity below which a query is poorly covered
   * @param unseenShareThreshold unseen-term share at or above which the vocabulary drifted
   * @param emergingTerms emerging terms listed
   * @param maxSamples most samples of each side scored (a uniform, seeded subsample beyond it)
   * @param seed seed of permutations, folds and subsamples
   */
  public record Settings(
      int permutations,
      double alpha,
      double aucThreshold,
      int folds,
      double centroidThreshold,
      double lowSimilarity,
      double unseenShareThreshold,
      int emergingTerms,
      int maxSamples,
      long seed) {

    public static Settings of(DriftConfig.Scoring scoring) {
      return new Settings(
          scoring.permutations(),
          scoring.alpha(),
          scoring.aucThreshold(),
          scoring.folds(),
          scoring.centroidThreshold(),
          scoring.lowSimilarity(),
          scoring.unseenShareThreshold(),
          scoring.emergingTerms(),
          scoring.maxSamples(),
          scoring.seed());
    }
  }

  /**
   * What a report is computed from.
   *
   * @param referenceVectors the reference's samples
   * @param currentVectors the window's samples
   * @param referenceTerms the reference's term statistics (empty without texts)
   * @param currentTerms the window's term statistics (empty without texts)
   * @param corpusDocuments documents in the corpus sample (0: no coverage score)
   * @param referenceTop1 each reference sample's similarity to its nearest corpus document
   * @param currentTop1 each window sample's similarity to its nearest corpus document
   * @param minSamples fewest samples on each side for a verdict
   */
  public record Inputs(
      String tenant,
      String feature,
      DriftReport.Window window,
      DriftReport.Reference reference,
      float[][] referenceVectors,
      float[][] currentVectors,
      TermStatistics referenceTerms,
      TermStatistics currentTerms,
      long corpusDocuments,
      double[] referenceTop1,
      double[] currentTop1,
      int minSamples) {}

  private ReportBuilder() {}

  /** The report for {@code in}, computed now. */
  public static DriftReport build(Inputs in, Settings settings, Instant now) {
    long started = System.nanoTime();
    int ref = in.referenceVectors().length;
    int cur = in.currentVectors().length;
    if (ref < in.minSamples() || cur < in.minSamples()) {
      String reason =
          ref < in.minSamples()
              ? "The reference has "
                  + ref
                  + " samples; a verdict needs at least "
                  + in.minSamples()
                  + " on each side."
              : "The window kept "
                  + cur
                  + " samples; a verdict needs at least "
                  + in.minSamples()
                  + " on each side.";
      return new DriftReport(
          0,
          in.tenant(),
          in.feature(),
          in.window(),
          in.reference(),
          now,
          DriftReport.INSUFFICIENT_DATA,
          reason,
          null,
          null,
          false,
          elapsedMillis(started));
    }
    float[][] reference = subsample(in.referenceVectors(), settings.maxSamples(), settings.seed());
    float[][] current = subsample(in.currentVectors(), settings.maxSamples(), settings.seed() + 1);
    MmdPermutationTest.Result mmd =
        MmdPermutationTest.test(reference, current, settings.permutations(), settings.seed());
    String mmdVerdict = mmd.pValue() < settings.alpha() ? DriftReport.DRIFT : DriftReport.NO_DRIFT;
    double auc =
        DomainClassifierAuc.evaluate(
                reference,
                current,
                settings.folds(),
                DomainClassifierAuc.DEFAULT_L2,
                settings.seed())
            .auc();
    double centroid = CentroidDistance.cosine(reference, current);
    DriftReport.Scores scores =
        new DriftReport.Scores(
            new DriftReport.Mmd(
                mmd.mmd2(),
                mmd.pValue(),
                settings.alpha(),
                mmd.bandwidthSigma2(),
                mmd.permutations(),
                mmdVerdict),
            new DriftReport.DomainClassifier(
                auc,
                settings.aucThreshold(),
                settings.folds(),
                atLeast(auc, settings.aucThreshold())),
            new DriftReport.Centroid(
                centroid,
                settings.centroidThreshold(),
                atLeast(centroid, settings.centroidThreshold())),
            coverage(in, settings),
            vocabulary(in, settings));
    String reason =
        String.format(
            java.util.Locale.ROOT,
            "MMD permutation test p = %.4f %s alpha %.3f (MMD² %.5f over %d reference and %d current"
                + " samples).",
            mmd.pValue(),
            mmd.pValue() < settings.alpha() ? "<" : ">=",
            settings.alpha(),
            mmd.mmd2(),
            reference.length,
            current.length);
    return new DriftReport(
        0,
        in.tenant(),
        in.feature(),
        in.window(),
        in.reference(),
        now,
        mmdVerdict,
        reason,
        scores,
        null,
        false,
        elapsedMillis(started));
  }

  private static DriftReport.Coverage coverage(Inputs in, Settings settings) {
    if (in.corpusDocuments() <= 0
        || in.currentTop1() == null
        || in.referenceTop1() == null
        || in.currentTop1().length == 0
        || in.referenceTop1().length == 0) {
      return null;
    }
    KolmogorovSmirnov.Result ks = KolmogorovSmirnov.test(in.referenceTop1(), in.currentTop1());
    double low = shareBelow(in.currentTop1(), settings.lowSimilarity());
    double referenceLow = shareBelow(in.referenceTop1(), settings.lowSimilarity());
    boolean drift = ks.pValue() < settings.alpha() && low > referenceLow;
    return new DriftReport.Coverage(
        in.corpusDocuments(),
        settings.lowSimilarity(),
        low,
        referenceLow,
        ks.statistic(),
        ks.pValue(),
        quantiles(in.currentTop1()),
        quantiles(in.referenceTop1()),
        drift ? DriftReport.DRIFT : DriftReport.NO_DRIFT);
  }

  private static DriftReport.Vocabulary vocabulary(Inputs in, Settings settings) {
    if (in.referenceTerms().texts() == 0 || in.currentTerms().texts() == 0) {
      return null;
    }
    VocabularyDrift.Result result =
        VocabularyDrift.compare(in.referenceTerms(), in.currentTerms(), settings.emergingTerms());
    VocabularyDrift.Fragmentation f = result.fragmentation();
    return new DriftReport.Vocabulary(
        result.unseenShare(),
        result.unseenTermShare(),
        settings.unseenShareThreshold(),
        f.referenceTokensPerWord(),
        f.currentTokensPerWord(),
        f.referenceUnknownRate(),
        f.currentUnknownRate(),
        result.emergingTerms().stream()
            .map(
                t ->
                    new DriftReport.EmergingTerm(
                        t.term(), t.currentCount(), t.referenceCount(), t.score()))
            .toList(),
        atLeast(result.unseenShare(), settings.unseenShareThreshold()));
  }

  private static String atLeast(double value, double threshold) {
    return value >= threshold ? DriftReport.DRIFT : DriftReport.NO_DRIFT;
  }

  /** {@code vectors}, or a uniform subsample of {@code max} of them (seeded, order kept). */
  static float[][] subsample(float[][] vectors, int max, long seed) {
    if (vectors.length <= max) {
      return vectors;
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    int[] index = new int[vectors.length];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    for (int i = 0; i < max; i++) {
      int j = i + random.nextInt(index.length - i);
      int t = index[i];
      index[i] = index[j];
      index[j] = t;
    }
    int[] chosen = java.util.Arrays.copyOf(index, max);
    java.util.Arrays.sort(chosen);
    float[][] out = new float[max][];
    for (int i = 0; i < max; i++) {
      out[i] = vectors[chosen[i]];
    }
    return out;
  }

  static double shareBelow(double[] values, double threshold) {
    int below = 0;
    for (double v : values) {
      if (v < threshold) {
        below++;
      }
    }
    return (double) below / values.length;
  }

  static DriftReport.Quantiles quantiles(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new DriftReport.Quantiles(
        quantile(sorted, 0.10),
        quantile(sorted, 0.25),
        quantile(sorted, 0.50),
        quantile(sorted, 0.75),
        quantile(sorted, 0.90));
  }

  /** Linear interpolation between closest ranks (type 7, as R and NumPy default). */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(sorted.length - 1, below + 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
