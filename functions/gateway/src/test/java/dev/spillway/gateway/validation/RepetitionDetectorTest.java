package dev.spillway.gateway.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepetitionDetectorTest {

  private static Optional<RepetitionDetector.Loop> scan(String text) {
    RepetitionDetector detector = new RepetitionDetector();
    detector.append(text);
    return detector.loop();
  }

  @Test
  void aRepeatedWordIsALoop() {
    assertEquals(Optional.of(new RepetitionDetector.Loop(4, 100)), scan("the ".repeat(200)));
  }

  @Test
  void aSentenceRepeatedTwentyTimesIsALoop() {
    String sentence = "The answer is forty-two, yes. ";
    assertEquals(30, sentence.length());
    // Noticed at 400 characters: 13 whole repeats.
    assertEquals(
        Optional.of(new RepetitionDetector.Loop(30, 13)), scan("Sure. " + sentence.repeat(20)));
  }

  @Test
  void blankLinesUntilTheLimitAreALoop() {
    assertEquals(
        Optional.of(new RepetitionDetector.Loop(1, 400)), scan("Answer:\n" + "\n".repeat(500)));
  }

  @Test
  void aLongUnitNeedsEightRepeats() {
    String paragraph = paragraphOf(200);
    assertTrue(scan(paragraph.repeat(7)).isEmpty());
    assertEquals(Optional.of(new RepetitionDetector.Loop(200, 8)), scan(paragraph.repeat(8)));
  }

  @Test
  void aShortRunIsNotALoop() {
    assertTrue(scan("ha".repeat(150)).isEmpty(), "300 characters of laughter");
    assertTrue(scan("=".repeat(399)).isEmpty());
    assertTrue(scan("=".repeat(400)).isPresent());
  }

  @Test
  void unitsLongerThanTheLongestPeriodAreNotLookedFor() {
    assertTrue(scan(paragraphOf(RepetitionDetector.MAX_PERIOD + 1).repeat(20)).isEmpty());
  }

  @Test
  void healthyTextIsNotALoop() {
    for (String text : HealthyTexts.all()) {
      assertEquals(Optional.empty(), scan(text), () -> text.substring(0, 40));
    }
  }

  @Test
  void theLoopFoundDoesNotDependOnHowTheTextIsSplit() {
    String text = HealthyTexts.PROSE + "and so on, ".repeat(60);
    Optional<RepetitionDetector.Loop> whole = scan(text);
    assertTrue(whole.isPresent());
    RepetitionDetector byChar = new RepetitionDetector();
    for (int i = 0; i < text.length(); i++) {
      byChar.append(text.substring(i, i + 1));
    }
    assertEquals(whole, byChar.loop());
    assertEquals(new RepetitionDetector.Loop(11, 36), whole.orElseThrow());
  }

  @Test
  void aLoopStaysFoundWhateverFollows() {
    RepetitionDetector detector = new RepetitionDetector();
    assertFalse(detector.append("Let me think. "));
    assertTrue(detector.append("no ".repeat(200)));
    assertTrue(detector.append(HealthyTexts.PROSE));
    assertEquals(3, detector.loop().orElseThrow().period());
  }

  @Test
  void aLoopAfterALongHealthyTextIsFound() {
    RepetitionDetector detector = new RepetitionDetector();
    for (String text : HealthyTexts.all()) {
      assertFalse(detector.append(text));
    }
    assertTrue(detector.append("again ".repeat(80)));
  }

  /** Text of exactly {@code length} characters whose own characters do not repeat periodically. */
  private static String paragraphOf(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < length; i++) {
      text.append("word").append(i).append(' ');
    }
    text.setLength(length);
    return text.toString();
  }

  /** The definition, checked the slow way: every period against every character. */
  private static java.util.Optional<RepetitionDetector.Loop> reference(String text) {
    int[] matches = new int[RepetitionDetector.MAX_PERIOD + 1];
    for (int i = 0; i < text.length(); i++) {
      for (int p = 1; p <= Math.min(RepetitionDetector.MAX_PERIOD, i); p++) {
        if (text.charAt(i - p) == text.charAt(i)) {
          int needed =
              Math.max(RepetitionDetector.MIN_RUN_CHARS, RepetitionDetector.MIN_REPEATS * p) - p;
          if (++matches[p] >= needed) {
            return java.util.Optional.of(new RepetitionDetector.Loop(p, (matches[p] + p) / p));
          }
        } else {
          matches[p] = 0;
        }
      }
    }
    return java.util.Optional.empty();
  }

  @org.junit.jupiter.api.RepeatedTest(200)
  void findsExactlyWhatTheDefinitionFinds(org.junit.jupiter.api.RepetitionInfo repetition) {
    java.util.Random random = new java.util.Random(repetition.getCurrentRepetition());
    // Small alphabets and pasted units make loops of every period likely; the chain buckets by a
    // character's low byte, so letters 256 apart share one and must still be told apart.
    char[] alphabet = {'a', 'b', ' ', (char) ('a' + 256), 'é', '\n'};
    StringBuilder text = new StringBuilder();
    while (text.length() < 3_000) {
      if (random.nextInt(4) == 0) {
        int unit = 1 + random.nextInt(RepetitionDetector.MAX_PERIOD + 20);
        int from = Math.max(0, text.length() - unit);
        String tail = text.substring(from);
        for (int r = random.nextInt(12); r > 0 && text.length() < 3_000; r--) {
          text.append(tail);
        }
      } else {
        text.append(alphabet[random.nextInt(random.nextBoolean() ? 2 : alphabet.length)]);
      }
    }
    RepetitionDetector detector = new RepetitionDetector();
    for (int at = 0; at < text.length(); ) {
      int next = Math.min(text.length(), at + 1 + random.nextInt(40));
      detector.append(text.subSequence(at, next));
      at = next;
    }
    assertEquals(reference(text.toString()), detector.loop());
  }
}
