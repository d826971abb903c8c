package dev.spillway.gateway.validation;

import java.util.Objects;

/**
 * Why an upstream answer was judged broken.
 *
 * <p>The detail is written to be shown to a client and logged at WARN as is: it states counts,
 * positions and JSON pointer paths, never the model's output or the prompt, because either may hold
 * personal data or secrets.
 *
 * <p>Some answers fail because of what the client itself asked for, not because the provider is
 * broken: a JSON schema no answer satisfies, stop sequences that cut the content to nothing, a
 * {@code max_tokens} too small for the JSON it wants. Those carry the request field to blame in
 * {@link #clientConstraint()}: they are never held against a provider's breaker, and they end the
 * request with a 4xx naming that field after a bounded number of tries instead of fanning out to
 * every target.
 *
 * @param rule the rule that failed
 * @param detail one sentence a person can act on, free of output and prompt text
 * @param clientConstraint the request field whose constraint the answer could not meet (such as
 *     {@code response_format.json_schema.schema}), or null when the provider is to blame
 */
public record Violation(Rule rule, String detail, String clientConstraint) {

  public Violation {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(detail, "detail");
  }

  /** A violation the provider is to blame for. */
  public Violation(Rule rule, String detail) {
    this(rule, detail, null);
  }

  /** Whether the client's own constraints, not the provider, explain the failure. */
  public boolean byClientConstraint() {
    return clientConstraint != null;
  }
}
