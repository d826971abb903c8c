package dev.spillway.drift.vocabulary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Compares the words of a current window of queries with those of the reference: how much of what
 * users type now the reference never saw, whether the model's vocabulary fits the text worse, and
 * which terms rose most. Embedding drift says that the queries moved; this says in which words,
 * which is what a team can act on (add the documents, extend the reference, pick another model).
 *
 * <p><b>Emerging terms</b> are ranked by the z-score of the log-odds ratio with an informative
 * Dirichlet prior (Monroe, Colaresi and Quinn 2008, "Fightin' Words", section 3.5.3). For a term
 * with counts {@code y_c} and {@code y_r} among {@code n_c} and {@code n_r} term occurrences of the
 * current window and the reference, and a prior {@code a_w} with total {@code a_0}:
 *
 * <pre>
 *   delta = ln((y_c + a_w) / (n_c + a_0 - y_c - a_w)) - ln((y_r + a_w) / (n_r + a_0 - y_r - a_w))
 *   z     = delta / sqrt(1 / (y_c + a_w) + 1 / (y_r + a_w))
 * </pre>
 *
 * <p>The prior is the two windows pooled ({@code a_w = y_c + y_r}, {@code a_0 = n_c + n_r}), the
 * paper's informative prior with the whole corpus as background, so there is no tuning constant.
 * Why this rather than a plain ratio of frequencies: a ratio ranks a term seen once and never
 * before as high as one seen fifty times and never before, and a typo would lead the list. The
 * z-score weighs the rise by the evidence for it, so frequent new terms, the ones users hit first,
 * come first, and a term must recur before it outranks them. The score reads as a z-score, but a
 * conservative one (the prior weighs as much as the data, which halves a new term's log-odds) and
 * thousands of terms are scored at once: use it to rank, not as a significance test. Only terms
 * whose share rose ({@code z > 0}) are listed; a term whose share is unchanged scores exactly 0.
 *
 * <p>With an empty reference nothing can have risen (the pooled prior is then the current window
 * itself, and every score is 0): the list is empty, and {@link Result#unseenShare} of 1 says that
 * everything is new.
 *
 * <p>Thread-safe: stateless.
 */
public final class VocabularyDrift {

  /** How many emerging terms {@link #compare(TermStatistics, TermStatistics)} lists. */
  public static final int DEFAULT_TOP_K = 20;

  /**
   * A term whose share of term occurrences rose from the reference to the current window.
   *
   * @param term the term, normalised as {@link TermStatistics} counts it
   * @param currentCount its occurrences in the current window
   * @param referenceCount its occurrences in the reference (0: never seen there)
   * @param score the log-odds z-score; higher is a clearer rise, always above 0 here
   */
  public record EmergingTerm(String term, long currentCount, long referenceCount, double score) {}

  /**
   * How well the model's WordPiece vocabulary covers each side's text.
   *
   * @param referenceTokensPerWord word pieces per word in the reference
   * @param currentTokensPerWord word pieces per word in the current window; higher than the
   *     reference's when users write words the vocabulary only knows in fragments
   * @param referenceUnknownRate share of the reference's word pieces that are {@code [UNK]}
   * @param currentUnknownRate share of the current window's word pieces that are {@code [UNK]}
   */
  public record Fragmentation(
      double referenceTokensPerWord,
      double currentTokensPerWord,
      double referenceUnknownRate,
      double currentUnknownRate) {}

  /**
   * The comparison of a current window with the reference.
   *
   * @param unseenShare share of the current window's term occurrences whose term never occurs in
   *     the reference (0 to 1; 0 when the current window has no terms): how often users type a word
   *     the reference has no example of
   * @param unseenTermShare share of the current window's distinct terms that never occur in the
   *     reference (0 to 1; 0 when it has none): how many new words, however rare each one
   * @param unseenOccurrences the numerator of {@code unseenShare}
   * @param currentOccurrences the denominator of {@code unseenShare}
   * @param unseenTerms the numerator of {@code unseenTermShare}
   * @param currentTerms the denominator of {@code unseenTermShare}
   * @param fragmentation tokens per word and {@code [UNK]} rate on each side
   * @param emergingTerms the terms that rose most, highest score first (ties: more current
   *     occurrences first, then alphabetical); at most the requested number, fewer when fewer rose
   */
  public record Result(
      double unseenShare,
      double unseenTermShare,
      long unseenOccurrences,
      long currentOccurrences,
      int unseenTerms,
      int currentTerms,
      Fragmentation fragmentation,
      List<EmergingTerm> emergingTerms) {
    public Result {
      emergingTerms = List.copyOf(emergingTerms);
    }
  }

  private static final Comparator<EmergingTerm> HIGHEST_FIRST =
      Comparator.comparingDouble(EmergingTerm::score)
          .reversed()
          .thenComparing(Comparator.comparingLong(EmergingTerm::currentCount).reversed())
          .thenComparing(EmergingTerm::term);

  /**
   * Log-odds differences this small are rounding in the two logarithms of an unchanged share, not a
   * rise; without it, an unchanged term could be listed with a score of 1e-16.
   */
  private static final double UNCHANGED = 1e-12;

  private VocabularyDrift() {}

  /**
   * {@link #compare(TermStatistics, TermStatistics, int)} listing {@value #DEFAULT_TOP_K} terms.
   */
  public static Result compare(TermStatistics reference, TermStatistics current) {
    return compare(reference, current, DEFAULT_TOP_K);
  }

  /**
   * Compares a current window with the reference.
   *
   * @param topK how many emerging terms to list at most
   * @throws IllegalArgumentException when either statistics is null or {@code topK < 1}
   */
  public static Result compare(TermStatistics reference, TermStatistics current, int topK) {
    if (reference == null) {
      throw new IllegalArgumentException("reference is null");
    }
    if (current == null) {
      throw new IllegalArgumentException("current is null");
    }
    if (topK < 1) {
      throw new IllegalArgumentException("topK is " + topK + ", expected >= 1");
    }
    Map<String, Long> referenceCounts = reference.termCounts();
    long referenceOccurrences = reference.termOccurrences();
    long currentOccurrences = current.termOccurrences();

    long unseenOccurrences = 0;
    int unseenTerms = 0;
    List<EmergingTerm> rising = new ArrayList<>();
    for (Map.Entry<String, Long> entry : current.termCounts().entrySet()) {
      long currentCount = entry.getValue();
      long referenceCount = referenceCounts.getOrDefault(entry.getKey(), 0L);
      if (referenceCount == 0) {
        unseenOccurrences += currentCount;
        unseenTerms++;
      }
      double score =
          logOddsZScore(currentCount, currentOccurrences, referenceCount, referenceOccurrences);
      if (score > 0) {
        rising.add(new EmergingTerm(entry.getKey(), currentCount, referenceCount, score));
      }
    }
    rising.sort(HIGHEST_FIRST);

    int currentTerms = current.distinctTerms();
    return new Result(
        share(unseenOccurrences, currentOccurrences),
        share(unseenTerms, currentTerms),
        unseenOccurrences,
        currentOccurrences,
        unseenTerms,
        currentTerms,
        new Fragmentation(
            reference.tokensPerWord(),
            current.tokensPerWord(),
            reference.unknownRate(),
            current.unknownRate()),
        rising.subList(0, Math.min(topK, rising.size())));
  }

  /**
   * The z-score of the log-odds ratio of one term, current against reference, with the pooled
   * informative Dirichlet prior (see the class comment). Positive when the term's share rose, 0
   * when it is unchanged, and 0 when the term is every occurrence of both sides (its odds are then
   * infinite on both, with no difference to measure).
   */
  static double logOddsZScore(
      long currentCount, long currentTotal, long referenceCount, long referenceTotal) {
    double prior = (double) currentCount + referenceCount;
    double priorTotal = (double) currentTotal + referenceTotal;
    double currentRest = currentTotal + priorTotal - currentCount - prior;
    double referenceRest = referenceTotal + priorTotal - referenceCount - prior;
    if (currentRest <= 0 || referenceRest <= 0) {
      return 0.0;
    }
    double current = currentCount + prior;
    double reference = referenceCount + prior;
    double delta = Math.log(current / currentRest) - Math.log(reference / referenceRest);
    if (Math.abs(delta) < UNCHANGED) {
      return 0.0;
    }
    return delta / Math.sqrt(1 / current + 1 / reference);
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0.0 : (double) part / whole;
  }
}
