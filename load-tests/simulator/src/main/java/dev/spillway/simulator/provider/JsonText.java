package dev.spillway.simulator.provider;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Writing JSON by hand for the dialects' hot path: building response text directly is several times
 * cheaper than a Jackson tree, and the shapes are fixed.
 */
public final class JsonText {

  private JsonText() {}

  /** Appends {@code value} as a quoted JSON string. */
  public static StringBuilder quoted(StringBuilder out, String value) {
    out.append('"');
    return escaped(out, value).append('"');
  }

  /**
   * Appends {@code value} escaped for a JSON string, without the quotes. Escaping works character
   * by character, so escaping the pieces of a text one after another gives the escaped text.
   */
  public static StringBuilder escaped(StringBuilder out, String value) {
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    return out;
  }
}
