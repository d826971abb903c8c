package dev.spillway.drift.vocabulary;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a window of query texts contributes to vocabulary drift: how often each term occurs, and how
 * the model's tokenizer copes with the texts (words, word pieces, unknown pieces). Only counts are
 * kept, so that a window can be accumulated across ingest batches with {@link #merge} and stored
 * without the texts.
 *
 * <p>A <em>term</em> is a normalised word (lowercase, accents stripped, split at punctuation by
 * {@link WordPieceTokenizer}) that:
 *
 * <ul>
 *   <li>starts with a letter and holds only letters, digits and combining marks (the vowel signs of
 *       Indic scripts, say), so that {@code h2o}, {@code co2} and {@code gpt4} are terms but {@code
 *       2019}, {@code 10kg} and {@code 1st} are not: numbers and quantities change with every query
 *       without saying anything about the vocabulary;
 *   <li>is {@value #MIN_TERM_LENGTH} to {@value #MAX_TERM_LENGTH} characters long: single letters
 *       are mostly the leftovers of split contractions ({@code don't} gives {@code don}, {@code '},
 *       {@code t}) and of answer options, and very long runs are identifiers, hashes or encoded
 *       data, whose effect already shows in the fragmentation figures;
 *   <li>is not one of a short list of English function words ({@link #STOP_WORDS}), which say
 *       nothing about a topic.
 * </ul>
 *
 * <p>Hyphens and apostrophes never appear inside a term: the BERT pre-tokenizer splits at them, as
 * the model does, so {@code e-mail} counts as {@code mail} (and the single letter {@code e} is
 * dropped). Each Chinese ideograph is a word of its own for the model and so is never a term, but
 * it still counts in the word and piece totals.
 *
 * <p>The totals count every pre-tokenised word, punctuation included, and every word piece without
 * the {@code [CLS]}/{@code [SEP]} markers and without the model's truncation.
 *
 * @param texts how many texts were counted (empty texts included)
 * @param words pre-tokenised words, punctuation marks included
 * @param tokens word pieces the model sees for those words
 * @param unknownTokens pieces that are the unknown token ({@code [UNK]})
 * @param termCounts occurrences of each term; unmodifiable, every count at least 1
 */
public record TermStatistics(
    long texts, long words, long tokens, long unknownTokens, Map<String, Long> termCounts) {

  /** The shortest term, in characters. */
  public static final int MIN_TERM_LENGTH = 2;

  /** The longest term, in characters. */
  public static final int MAX_TERM_LENGTH = 64;

  /**
   * English function words that are never terms: articles, pronouns, auxiliaries, prepositions,
   * conjunctions, and the stems that contractions leave after the pre-tokenizer splits them ({@code
   * doesn}, {@code ll}, {@code ve}). It is the widely used NLTK list (its one-letter entries left
   * out, being too short anyway); a domain's own frequent words (such as {@code following} in exam
   * questions) are left in, because they cancel out between reference and current window.
   */
  public static final Set<String> STOP_WORDS =
      Set.of(
          ("me my myself we our ours ourselves you your yours yourself yourselves he him his"
                  + " himself she her hers herself it its itself they them their theirs themselves"
                  + " what which who whom this that these those am is are was were be been being have"
                  + " has had having do does did doing an the and but if or because as until while of"
                  + " at by for with about against between into through during before after above"
                  + " below to from up down in out on off over under again further then once here"
                  + " there when where why how all any both each few more most other some such no nor"
                  + " not only own same so than too very can will just don should now ll re ve ain"
                  + " aren couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn"
                  + " wasn weren won wouldn")
              .split(" "));

  private static final TermStatistics EMPTY = new TermStatistics(0, 0, 0, 0, Map.of());

  /**
   * Checks that the counts could come from real texts (restored counts are validated too).
   *
   * @throws IllegalArgumentException naming the count that is negative or inconsistent
   */
  public TermStatistics {
    requireNonNegative(texts, "texts");
    requireNonNegative(words, "words");
    requireNonNegative(tokens, "tokens");
    requireNonNegative(unknownTokens, "unknownTokens");
    if (tokens < words) {
      throw new IllegalArgumentException(
          "tokens (" + tokens + ") is below words (" + words + "): every word has a piece");
    }
    if (unknownTokens > tokens) {
      throw new IllegalArgumentException(
          "unknownTokens (" + unknownTokens + ") exceeds tokens (" + tokens + ")");
    }
    if (termCounts == null) {
      throw new IllegalArgumentException("termCounts is null");
    }
    long occurrences = 0;
    for (Map.Entry<String, Long> entry : termCounts.entrySet()) {
      if (entry.getKey() == null || entry.getKey().isEmpty()) {
        throw new IllegalArgumentException("termCounts holds a null or empty term");
      }
      if (entry.getValue() == null || entry.getValue() < 1) {
        throw new IllegalArgumentException(
            "termCounts['" + entry.getKey() + "'] is " + entry.getValue() + ", expected >= 1");
      }
      occurrences += entry.getValue();
    }
    if (occurrences > words) {
      throw new IllegalArgumentException(
          "termCounts sum to " + occurrences + ", more than words (" + words + ")");
    }
    termCounts = Map.copyOf(termCounts);
  }

  /** No texts at all: the identity of {@link #merge}. */
  public static TermStatistics empty() {
    return EMPTY;
  }

  /**
   * Counts a batch of texts.
   *
   * @throws IllegalArgumentException when the tokenizer, the collection or one of its texts is null
   *     (the message gives the text's position)
   */
  public static TermStatistics of(WordPieceTokenizer tokenizer, Collection<String> texts) {
    if (tokenizer == null) {
      throw new IllegalArgumentException("tokenizer is null");
    }
    if (texts == null) {
      throw new IllegalArgumentException("texts is null");
    }
    long words = 0;
    long tokens = 0;
    long unknownTokens = 0;
    Map<String, Long> termCounts = new HashMap<>();
    int index = 0;
    for (String text : texts) {
      if (text == null) {
        throw new IllegalArgumentException("texts[" + index + "] is null");
      }
      for (WordPieceTokenizer.Word word : tokenizer.tokenize(text)) {
        words++;
        tokens += word.pieces().size();
        for (String piece : word.pieces()) {
          if (tokenizer.isUnknown(piece)) {
            unknownTokens++;
          }
        }
        if (isTerm(word.text())) {
          termCounts.merge(word.text(), 1L, Long::sum);
        }
      }
      index++;
    }
    return new TermStatistics(index, words, tokens, unknownTokens, termCounts);
  }

  /**
   * Whether a normalised word (as {@link WordPieceTokenizer#words} gives it) is a term, as the
   * class comment defines it: letters, digits and marks starting with a letter, {@value
   * #MIN_TERM_LENGTH} to {@value #MAX_TERM_LENGTH} characters, not a stop word.
   */
  public static boolean isTerm(String word) {
    if (word == null) {
      return false;
    }
    int length = word.codePointCount(0, word.length());
    if (length < MIN_TERM_LENGTH || length > MAX_TERM_LENGTH) {
      return false;
    }
    int first = word.codePointAt(0);
    if (!Character.isLetter(first)) {
      return false;
    }
    for (int i = 0; i < word.length(); ) {
      int c = word.codePointAt(i);
      if (!Character.isLetterOrDigit(c) && !isMark(c)) {
        return false;
      }
      i += Character.charCount(c);
    }
    return !STOP_WORDS.contains(word);
  }

  /**
   * The counts of both, as if their texts had been counted together: term counts add up, and so do
   * the totals.
   *
   * @throws IllegalArgumentException when {@code other} is null
   * @throws ArithmeticException when a count would overflow a {@code long}
   */
  public TermStatistics merge(TermStatistics other) {
    if (other == null) {
      throw new IllegalArgumentException("other is null");
    }
    Map<String, Long> merged = new HashMap<>(termCounts);
    other.termCounts.forEach((term, count) -> merged.merge(term, count, Math::addExact));
    return new TermStatistics(
        Math.addExact(texts, other.texts),
        Math.addExact(words, other.words),
        Math.addExact(tokens, other.tokens),
        Math.addExact(unknownTokens, other.unknownTokens),
        merged);
  }

  /** How often a term occurs; 0 for a term never seen. */
  public long count(String term) {
    return termCounts.getOrDefault(term, 0L);
  }

  /** All term occurrences: the sum of {@link #termCounts}. */
  public long termOccurrences() {
    return termCounts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many different terms occur. */
  public int distinctTerms() {
    return termCounts.size();
  }

  /**
   * Word pieces per word: 1.0 when the vocabulary covers every word whole, higher as words break
   * into more pieces (rare words, misspellings, other languages). 0 when there are no words.
   */
  public double tokensPerWord() {
    return words == 0 ? 0.0 : (double) tokens / words;
  }

  /**
   * Share of word pieces that are the unknown token: text the model cannot represent at all (mostly
   * emoji and rare symbols). 0 when there are no pieces.
   */
  public double unknownRate() {
    return tokens == 0 ? 0.0 : (double) unknownTokens / tokens;
  }

  private static boolean isMark(int c) {
    return switch (Character.getType(c)) {
      case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK ->
          true;
      default -> false;
    };
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " is " + value + ", expected >= 0");
    }
  }
}
