package dev.spillway.gateway.routing.quality;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a cheap target's answer agrees with the strongest target's: for closed answers (a
 * multiple-choice letter, a number) the answers agree when they name the same; otherwise when their
 * texts are the same once case, spacing and end punctuation are set aside. Open answers that differ
 * in wording count as disagreeing — the cautious side — until an embedding similarity or a judge
 * target replaces this rule. Stateless.
 */
public final class ShadowComparison {

  /** "The answer is B", "Answer: (c)", "answer - D". */
  private static final Pattern LETTER =
      Pattern.compile("(?i)\\banswer\\s*(?:is|:|-)?\\s*\\(?([A-J])\\)?(?![A-Za-z])");

  /** An answer that is only a letter, or a letter and a period or parenthesis. */
  private static final Pattern LONE_LETTER = Pattern.compile("^\\(?([A-J])[).:]?$");

  /** An answer that is only a number. */
  private static final Pattern NUMBER = Pattern.compile("^-?\\d+(?:[.,]\\d+)?$");

  private ShadowComparison() {}

  /** Empty when either answer is blank: nothing to compare. */
  public static Optional<Boolean> agree(String cheap, String strong) {
    if (cheap == null || strong == null || cheap.isBlank() || strong.isBlank()) {
      return Optional.empty();
    }
    Optional<String> a = closed(cheap);
    Optional<String> b = closed(strong);
    if (a.isPresent() && b.isPresent()) {
      return Optional.of(a.get().equals(b.get()));
    }
    return Optional.of(normalised(cheap).equals(normalised(strong)));
  }

  /** The closed answer a text names: a letter (upper case) or a number. */
  static Optional<String> closed(String text) {
    String trimmed = text.strip();
    Matcher lone = LONE_LETTER.matcher(trimmed);
    if (lone.matches()) {
      return Optional.of(lone.group(1).toUpperCase(Locale.ROOT));
    }
    if (NUMBER.matcher(trimmed).matches()) {
      return Optional.of(trimmed.replace(',', '.'));
    }
    Matcher letter = LETTER.matcher(text);
    return letter.find() ? Optional.of(letter.group(1).toUpperCase(Locale.ROOT)) : Optional.empty();
  }

  private static String normalised(String text) {
    return text.strip()
        .toLowerCase(Locale.ROOT)
        .replaceAll("\\s+", " ")
        .replaceAll("^[\\p{Punct}\\s]+|[\\p{Punct}\\s]+$", "");
  }
}
