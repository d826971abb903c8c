package dev.spillway.routing.scoring;

/**
 * Cheap features of a prompt's shape, as named buckets: its length, how much of it is digits, maths
 * or code, and how many lines and questions it has. Buckets (powers of two) rather than raw numbers
 * let a linear model learn a non-linear effect of length. Stateless.
 */
final class PromptShape {

  private PromptShape() {}

  static String[] features(String text) {
    int digits = 0;
    int maths = 0;
    int code = 0;
    int lines = 1;
    int questions = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isDigit(c)) {
        digits++;
      } else if ("=+*/^<>%√∫∑πθ".indexOf(c) >= 0) {
        maths++;
      } else if ("{};()[]_#".indexOf(c) >= 0) {
        code++;
      } else if (c == '\n') {
        lines++;
      } else if (c == '?') {
        questions++;
      }
    }
    return new String[] {
      "length=" + log2(text.length()),
      "digits=" + log2(digits),
      "maths=" + log2(maths),
      "code=" + log2(code),
      "lines=" + log2(lines),
      "questions=" + Math.min(questions, 3)
    };
  }

  private static int log2(int n) {
    return 32 - Integer.numberOfLeadingZeros(n);
  }
}
