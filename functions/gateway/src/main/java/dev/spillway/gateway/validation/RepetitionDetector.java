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
 * A run with period {@code p} can only continue, or start, at a character equal to the one {@code
 * p} places before it. So instead of comparing each new character with all {@value #MAX_PERIOD}
 * before it, the detector walks back through the earlier occurrences of that character within the
 * window (a chain through a ring of the last {@value #MAX_PERIOD} positions), and updates only
 * those periods: in prose a character recurs some 5 to 30 times in 200 characters, so an appended
 * character costs that many steps rather than 200. A period that is not visited has broken its run,
 * which the next visit sees from the position of its last match, so nothing needs resetting.
 * Nothing is re-scanned and nothing is allocated; memory is fixed at about 6 KB.
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

  /** {@code runs[p]} at which period {@code p} counts as a loop. */
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

  /** Buckets of the chains' heads: a character's low byte (a collision only costs a step). */
  private static final int BUCKETS = 256;

  /** Characters of the last {@value #MAX_PERIOD} positions, at {@code position % MAX_PERIOD}. */
  private final char[] ring = new char[MAX_PERIOD];

  /** For each position in the ring, the previous position in the same bucket, or -1. */
  private final long[] previous = new long[MAX_PERIOD];

  /** The latest position of each bucket, or -1. */
  private final long[] latest = new long[BUCKETS];

  /**
   * {@code runs[p]}: consecutive characters equal to the one {@code p} before, up to {@code
   * lastMatch[p]}.
   */
  private final int[] runs = new int[MAX_PERIOD + 1];

  /**
   * {@code lastMatch[p]}: the last position whose character equalled the one {@code p} before it.
   */
  private final long[] lastMatch = new long[MAX_PERIOD + 1];

  private long length;
  private Loop loop;

  public RepetitionDetector() {
    java.util.Arrays.fill(latest, -1);
    java.util.Arrays.fill(lastMatch, -2);
  }

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
    long now = length;
    int bucket = c & (BUCKETS - 1);
    // From the nearest earlier occurrence outwards: periods ascend, so the loop found is the unit
    // itself rather than a multiple of it.
    for (long at = latest[bucket]; at >= 0 && now - at <= MAX_PERIOD; ) {
      int slot = (int) (at % MAX_PERIOD);
      if (ring[slot] == c) {
        int p = (int) (now - at);
        int run = lastMatch[p] == now - 1 ? runs[p] + 1 : 1;
        runs[p] = run;
        lastMatch[p] = now;
        if (run >= NEEDED[p]) {
          loop = new Loop(p, (run + p) / p);
          return;
        }
      }
      at = previous[slot];
    }
    int slot = (int) (now % MAX_PERIOD);
    ring[slot] = c;
    previous[slot] = latest[bucket];
    latest[bucket] = now;
    length++;
  }

  /** The loop noticed, or empty while the text looks healthy. */
  public Optional<Loop> loop() {
    return Optional.ofNullable(loop);
  }
}
