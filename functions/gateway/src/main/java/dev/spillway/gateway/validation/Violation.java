package dev.spillway.gateway.validation;

import java.util.Objects;

/**
 * Why an upstream answer was judged broken.
 *
 * <p>The detail is written to be shown to a client and logged at WARN as is: it states counts,
 * positions and JSON pointer paths, never the model's output or the prompt, because either may hold
 * personal data or secrets.
 *
 * @param rule the rule that failed
 * @param detail one sentence a person can act on, free of output and prompt text
 */
public record Violation(Rule rule, String detail) {

  public Violation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }
}
