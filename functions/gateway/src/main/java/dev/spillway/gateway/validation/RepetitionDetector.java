package dev.spillway.gateway.validation;

import java.util.Optional;

/**
 * Notices when text ends in a degenerate loop: one sequence of 1 to {@value #MAX_PERIOD} characters
 * repeated back to back, as in {@code "the the the ..."}, a sentence said twenty times, or hundreds
 * of blank lines. Models fall into such loops under sampling bugs, broken quantisation or a
 * corrupted KV cache, and then usually loop until {@code max_tokens}; a stream that is caught early
 * can be failed over before the client has paid for the rest.
 *
 * <h2>Thresholds</h2>
 *
 * The text's tail must be periodic with period {@code p} (every character equal to the one {@code
 * p} places before it) over a run of at least {@value #MIN_RUN_CHARS} characters and at least
 * {@value #MIN_REPEATS} whole units:
 *
 * <ul>
 *   <li>{@value #MIN_RUN_CHARS} characters (about 100 tokens) because real text has exact repeats
 *       only in short stretches: a markdown rule or table separator line ({@code |---|---|}) stays
 *       well under 200 characters, and lists, tables and code change at least a number or a name
 *       from one line to the next, which breaks the run.
 *   <li>{@value #MIN_REPEATS} repeats because a refrain, a repeated table row or a function pasted
 *       twice repeats a long unit a handful of times; a loop repeats it until the token limit.
 *   <li>{@value #MAX_PERIOD} characters as the longest unit because loops of whole paragraphs are
 *       rare, and every extra period costs one comparison per character.
 * </ul>
 *
 * So {@code "the "} fires at its 100th repeat, a 30-character sentence at its 14th (400 characters,
 * reported as 13 whole repeats), and a 200-character paragraph at its 8th. What it cannot tell from
 * a loop is output that legitimately repeats one sequence over more than {@value #MIN_RUN_CHARS}
 * characters, such as a literal zero matrix; routes that expect such output should turn the rule
 * off.
 *
 * <h2>Cost</h2>
 *
 * Each appended character costs at most {@value #MAX_PERIOD} comparisons and counter updates over
 * fixed arrays, whatever the length of the text so far: nothing is re-scanned and nothing is
 * allocated. Memory is fixed at a few kilobytes. The loop keeps its branch: in real text a match is
 * rare, so the branch predicts well, and a branch-free form measured slower on JDK 17, which does
 * not vectorise it.
 *
 * <p>Not thread-safe: one detector follows one text.
 */
public final class RepetitionDetector {

  /** Longest repeated unit looked for, in characters. */
  public static final int MAX_PERIOD = 200;

  /** Shortest periodic run that counts as a loop, in characters. */
  public static final int MIN_RUN_CHARS = 400;

  /** Fewest whole repeats of the unit that count as a loop. */
  public static final int MIN_REPEATS = 8;

  /** {@code matches[p]} at which period {@code p} counts as a loop. */
  private static final int[] NEEDED = new int[MAX_PERIOD + 1];

  static {
    for (int p = 1; p <= MAX_PERIOD; p++) {
      NEEDED[p] = Math.max(MIN_RUN_CHARS, MIN_REPEATS * p) - p;
    }
  }

  /**
   * A loop found at the end of the text.
   *
   * @param period length of the repeated unit, in characters
   * @param repeats whole repeats of the unit in the run when the loop was noticed
   */
  public record Loop(int period, int repeats) {}

  /**
   * The last {@value #MAX_PERIOD} characters, written twice ({@code i} and {@code i + MAX_PERIOD})
   * so that the character {@code p} places back is always at {@code next + MAX_PERIOD - p}, without
   * a modulo per comparison.
   */
  private final char[] recent = new char[2 * MAX_PERIOD];

  /**
   * {@code matches[p]}: how many of the latest characters in a row equal the character {@code p}
   * places before them. The periodic run with period {@code p} is {@code matches[p] + p} long.
   */
  private final int[] matches = new int[MAX_PERIOD + 1];

  private int next;
  private long length;
  private Loop loop;

  /**
   * Adds text and says whether the text so far has fallen into a loop. Once it has, the answer
   * stays true and further text is ignored, so the loop reported is the first one noticed, however
   * the text was split into pieces.
   */
  public boolean append(CharSequence text) {
    for (int i = 0; i < text.length() && loop == null; i++) {
      append(text.charAt(i));
    }
    return loop != null;
  }

  private void append(char c) {
    int periods = (int) Math.min(MAX_PERIOD, length);
    int back = next + MAX_PERIOD;
    for (int p = 1; p <= periods; p++) {
      if (recent[back - p] == c) {
        if (++matches[p] >= NEEDED[p]) {
          // Periods ascend, so the one found is the unit itself rather than a multiple of it.
          loop = new Loop(p, (matches[p] + p) / p);
          return;
        }
      } else {
        matches[p] = 0;
      }
    }
    recent[next] = c;
    recent[next + MAX_PERIOD] = c;
    next = next + 1 == MAX_PERIOD ? 0 : next + 1;
    length++;
  }

  /** The loop noticed, or empty while the text looks healthy. */
  public Optional<Loop> loop() {
    return Optional.ofNullable(loop);
  }
}
