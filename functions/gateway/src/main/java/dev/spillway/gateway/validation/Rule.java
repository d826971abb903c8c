package dev.spillway.gateway.validation;

/**
 * The ways a {@code 200 OK} answer can still be garbage, each with a stable label for metrics and
 * logs.
 */
public enum Rule {
  /** The model said it was done ({@code stop}) without saying anything. */
  EMPTY_CONTENT("empty_content"),
  /** The answer was cut for length long before the client's own limit could explain it. */
  SHORT_LENGTH("short_length"),
  /** The client asked for JSON and the content does not parse as what was asked for. */
  INVALID_JSON("invalid_json"),
  /** The content parses but does not match the client's JSON Schema. */
  SCHEMA_MISMATCH("schema_mismatch"),
  /** The output ends in a degenerate loop of one repeated sequence. */
  REPETITION("repetition"),
  /** The upstream reported no token usage on a route that requires it for accounting. */
  MISSING_USAGE("missing_usage");

  private final String label;

  Rule(String label) {
    this.label = label;
  }

  /** Lower snake case, fit for a metric tag or a log field; stable across releases. */
  public String label() {
    return label;
  }
}
