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
}
