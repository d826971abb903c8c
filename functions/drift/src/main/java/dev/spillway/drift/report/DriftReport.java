package dev.spillway.drift.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * One drift report: a current window scored against the feature's reference. Stored as JSON and
 * returned by the API as is; field names are snake_case.
 *
 * <p>The overall {@code verdict} is the MMD permutation test's: of the scores it is the one whose
 * false-positive rate is controlled (at {@code alpha}), so an alert on it fires on chance about
 * {@code alpha} of the time and no more. The other scores carry their own verdicts against their
 * own thresholds as evidence: what moved (the centroid, the vocabulary, the corpus coverage) and
 * how separable the windows are (the classifier's AUC).
 *
 * @param id the report's id (0 until stored)
 * @param tenant whose
 * @param feature which feature
 * @param window the scored window
 * @param reference the reference it was scored against
 * @param createdAt when it was computed
 * @param verdict {@code drift}, {@code no_drift} or {@code insufficient_data}
 * @param reason one sentence: what the verdict rests on, or what data is missing
 * @param scores the scores; null with {@code insufficient_data}
 * @param previousVerdict the verdict of the nearest earlier (or the same) window scored against the
 *     same reference, or null
 * @param flipped true when this report's verdict differs from {@code previousVerdict}, or is a
 *     first verdict of {@code drift} (an alert was raised)
 * @param computeMillis how long the scoring took
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DriftReport(
    long id,
    String tenant,
    String feature,
    Window window,
    Reference reference,
    Instant createdAt,
    String verdict,
    String reason,
    Scores scores,
    String previousVerdict,
    boolean flipped,
    long computeMillis) {

  public static final String DRIFT = "drift";
  public static final String NO_DRIFT = "no_drift";
  public static final String INSUFFICIENT_DATA = "insufficient_data";

  /** The same report with its stored id, previous verdict and flip. */
  public DriftReport withHistory(long id, String previousVerdict) {
    // A change of verdict is a flip; so is a first verdict of drift (nothing to flip from, but a
    // team must hear about it).
    boolean flip =
        !INSUFFICIENT_DATA.equals(verdict)
            && (previousVerdict == null ? DRIFT.equals(verdict) : !verdict.equals(previousVerdict));
    return new DriftReport(
        id,
        tenant,
        feature,
        window,
        reference,
        createdAt,
        verdict,
        reason,
        scores,
        previousVerdict,
        flip,
        computeMillis);
  }

  /**
   * @param start the window's start
   * @param end its end (exclusive)
   * @param samples samples it kept (its reservoir)
   * @param seen samples it was offered
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Window(Instant start, Instant end, int samples, long seen) {}

  /**
   * @param kind {@code window} or {@code uploaded}
   * @param pinnedWindow the window it was copied from, or null
   * @param samples its samples
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Reference(String kind, Instant pinnedWindow, int samples) {}

  /**
   * Every score; {@code coverage} is null without a corpus sample, {@code vocabulary} null when
   * neither side has texts.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Scores(
      Mmd mmd,
      DomainClassifier domainClassifier,
      Centroid centroid,
      Coverage coverage,
      Vocabulary vocabulary) {}

  /**
   * MMD² with an RBF kernel and its permutation test.
   *
   * @param statistic the unbiased MMD² estimate
   * @param pValue the permutation p-value
   * @param threshold alpha: p below it is drift
   * @param bandwidthSigma2 the kernel's σ² (median heuristic)
   * @param permutations permutations drawn
   * @param verdict {@code drift} or {@code no_drift}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Mmd(
      double statistic,
      double pValue,
      double threshold,
      double bandwidthSigma2,
      int permutations,
      String verdict) {}

  /**
   * A logistic-regression classifier trained to tell reference from current samples.
   *
   * @param statistic its cross-validated ROC AUC (0.5: indistinguishable)
   * @param threshold AUC at or above which the windows are told apart
   * @param folds cross-validation folds
   * @param verdict {@code drift} or {@code no_drift}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record DomainClassifier(double statistic, double threshold, int folds, String verdict) {}

  /**
   * @param statistic cosine distance (1 − cos) between the two windows' mean vectors
   * @param threshold distance at or above which the centroid moved
   * @param verdict {@code drift} or {@code no_drift}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Centroid(double statistic, double threshold, String verdict) {}

  /**
   * Retrieval coverage: each query's cosine similarity to its nearest corpus document.
   *
   * @param corpusDocuments documents in the corpus sample
   * @param similarityThreshold a query below it is poorly covered
   * @param lowShare share of the current window's queries below it
   * @param referenceLowShare the same share in the reference
   * @param ksStatistic two-sample Kolmogorov-Smirnov D between the two similarity distributions
   * @param ksPValue its asymptotic p-value
   * @param current quantiles of the current window's top-1 similarities
   * @param referenceQuantiles quantiles of the reference's
   * @param verdict {@code drift} when the distributions differ at alpha and the low share rose
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Coverage(
      long corpusDocuments,
      double similarityThreshold,
      double lowShare,
      double referenceLowShare,
      double ksStatistic,
      double ksPValue,
      Quantiles current,
      Quantiles referenceQuantiles,
      String verdict) {}

  /** Quantiles of a distribution. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Quantiles(double p10, double p25, double p50, double p75, double p90) {}

  /**
   * Vocabulary drift.
   *
   * @param unseenShare share of the current window's term occurrences never seen in the reference
   * @param unseenTermShare share of its distinct terms never seen in the reference
   * @param threshold unseen share at or above which the vocabulary drifted
   * @param referenceTokensPerWord word pieces per word in the reference
   * @param currentTokensPerWord word pieces per word in the current window
   * @param referenceUnknownRate {@code [UNK]} share of the reference's pieces
   * @param currentUnknownRate {@code [UNK]} share of the current window's pieces
   * @param emergingTerms the terms that rose most
   * @param verdict {@code drift} or {@code no_drift}
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Vocabulary(
      double unseenShare,
      double unseenTermShare,
      double threshold,
      double referenceTokensPerWord,
      double currentTokensPerWord,
      double referenceUnknownRate,
      double currentUnknownRate,
      List<EmergingTerm> emergingTerms,
      String verdict) {}

  /**
   * @param term the term
   * @param currentCount occurrences in the current window
   * @param referenceCount occurrences in the reference
   * @param score its log-odds z-score (higher: a clearer rise)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record EmergingTerm(String term, long currentCount, long referenceCount, double score) {}
}
