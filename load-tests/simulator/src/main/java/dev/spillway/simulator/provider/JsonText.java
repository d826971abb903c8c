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
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    return out.append('"');
  }
}
