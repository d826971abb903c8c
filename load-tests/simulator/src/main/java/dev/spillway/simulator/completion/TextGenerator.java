package dev.spillway.simulator.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Produces plausible-looking prose one word piece (token) at a time.
 *
 * <p>The vocabulary is plain lower-case ASCII, so pieces never need JSON escaping beyond the quotes
 * around them and contain nothing a JSON parser could mistake for a literal ({@code true}, {@code
 * null}, digits). Every piece but the first carries its leading space, the way BPE tokens do.
 * Stateless and thread-safe; randomness comes from the caller.
 */
public final class TextGenerator {

  private static final String[] WORDS = {
    "the",
    "river",
    "spillway",
    "carries",
    "water",
    "over",
    "a",
    "gate",
    "when",
    "storm",
    "raises",
    "level",
    "of",
    "reservoir",
    "engineers",
    "measure",
    "flow",
    "and",
    "pressure",
    "at",
    "every",
    "channel",
    "concrete",
    "holds",
    "steady",
    "while",
    "turbines",
    "turn",
    "light",
    "reaches",
    "valley",
    "below",
    "quiet",
    "morning",
    "traffic",
    "moves",
    "through",
    "narrow",
    "bridge",
    "signal",
    "waits",
    "for",
    "its",
    "place",
    "queue",
    "drains",
    "slowly",
    "model",
    "answers",
    "question",
    "with",
    "care",
    "token",
    "follows",
    "another",
    "stream",
    "ends",
    "cleanly",
    "gateway",
    "routes",
    "request",
    "upstream",
    "budget",
    "remains"
  };

  private static final String[] SPACED = new String[WORDS.length];
  private static final String[] CAPITALISED = new String[WORDS.length];
  private static final String[] SPACED_CAPITALISED = new String[WORDS.length];

  static {
    for (int i = 0; i < WORDS.length; i++) {
      String word = WORDS[i];
      String capital = word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
      SPACED[i] = " " + word;
      CAPITALISED[i] = capital;
      SPACED_CAPITALISED[i] = " " + capital;
    }
  }

  /** Roughly one sentence end per this many words. */
  private static final int SENTENCE_LENGTH = 9;

  /**
   * Generates {@code count} word pieces forming sentences.
   *
   * @param leadingSpace whether the first piece continues earlier text and so starts with a space
   */
  public List<String> pieces(RandomGenerator random, int count, boolean leadingSpace) {
    List<String> pieces = new ArrayList<>(count);
    boolean sentenceStart = true;
    for (int i = 0; i < count; i++) {
      int word = random.nextInt(WORDS.length);
      boolean spaced = i > 0 || leadingSpace;
      String piece;
      if (sentenceStart) {
        piece = spaced ? SPACED_CAPITALISED[word] : CAPITALISED[word];
      } else {
        piece = spaced ? SPACED[word] : WORDS[word];
      }
      sentenceStart = i == count - 1 || random.nextInt(SENTENCE_LENGTH) == 0;
      pieces.add(sentenceStart ? piece + "." : piece);
    }
    return pieces;
  }

  /** A single word, for string values in generated JSON. */
  public String word(RandomGenerator random) {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
