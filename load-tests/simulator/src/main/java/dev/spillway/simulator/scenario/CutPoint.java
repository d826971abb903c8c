package dev.spillway.simulator.scenario;

import java.util.Locale;

/**
 * Where a {@code cut-mid} or {@code stall-mid} fault breaks an answer: after how many of its
 * tokens. Immutable and thread-safe.
 *
 * <p>The answer's length is only known once its content is planned ({@code max_tokens}, tool-call
 * fragments and JSON pieces all change it), so a cut point is resolved late, against that length
 * and a draw the scenario settled early from the request's seeded random.
 */
public sealed interface CutPoint permits CutPoint.Half, CutPoint.AfterTokens, CutPoint.Random {

  /** Half the tokens, rounded down: what the faults do when nothing says otherwise. */
  CutPoint HALF = new Half();

  /**
   * How many tokens to send before breaking.
   *
   * @param total the answer's tokens
   * @param draw a uniform draw in [0, 1), used only by {@link Random}
   * @return a count in [0, total]
   */
  int tokensBefore(int total, double draw);

  /**
   * Reads a directive value: a whole number of tokens, or {@code random}.
   *
   * @throws IllegalArgumentException naming {@code cut-at} when the value is neither
   */
  static CutPoint parse(String value) {
    if (value.toLowerCase(Locale.ROOT).equals("random")) {
      return new Random();
    }
    long tokens;
    try {
      tokens = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "cut-at must be a whole number of tokens or 'random', was '" + value + "'");
    }
    if (tokens < 0 || tokens > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cut-at must be in [0, 2147483647], was " + tokens);
    }
    return new AfterTokens((int) tokens);
  }

  /** Half the tokens, rounded down. */
  record Half() implements CutPoint {
    @Override
    public int tokensBefore(int total, double draw) {
      return total / 2;
    }
  }

  /**
   * A fixed number of tokens, at most all of them: a cut after the last token still withholds the
   * finish reason and the terminator.
   *
   * @param tokens tokens to send, 0 for none (the start events only)
   */
  record AfterTokens(int tokens) implements CutPoint {
    @Override
    public int tokensBefore(int total, double draw) {
      return Math.min(tokens, total);
    }
  }

  /**
   * A point drawn uniformly from [1, total - 1], so at least one token arrives and at least one is
   * missing; an answer of fewer than 2 tokens falls back to {@link Half}.
   */
  record Random() implements CutPoint {
    @Override
    public int tokensBefore(int total, double draw) {
      if (total < 2) {
        return total / 2;
      }
      // min: for very large totals the product can round up to total - 1 itself.
      return Math.min(1 + (int) (draw * (total - 1)), total - 1);
    }
  }
}
