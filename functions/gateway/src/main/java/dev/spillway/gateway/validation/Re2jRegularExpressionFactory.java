package dev.spillway.gateway.validation;

import com.google.re2j.Pattern;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Compiles a schema's {@code pattern} and {@code patternProperties} with RE2/J, whose matching time
 * is linear in the input. A client's schema is untrusted code that runs on the gateway's event
 * loop: with a backtracking engine (the JDK's), {@code (a+)+$} against a long answer runs for
 * minutes and stalls every request on that loop. RE2 has no lookaround and no backreferences; a
 * pattern that uses them is refused when the request arrives, with a message that says so.
 *
 * <p>JSON Schema patterns are unanchored, so a match anywhere in the value counts ({@code find}).
 * Stateless and thread-safe: RE2/J patterns may be shared.
 */
public final class Re2jRegularExpressionFactory implements RegularExpressionFactory {

  public static final Re2jRegularExpressionFactory INSTANCE = new Re2jRegularExpressionFactory();

  private Re2jRegularExpressionFactory() {}

  /**
   * @throws com.google.re2j.PatternSyntaxException when RE2 cannot compile the pattern
   */
  @Override
  public RegularExpression getRegularExpression(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return value -> pattern.matcher(value).find();
  }
}
