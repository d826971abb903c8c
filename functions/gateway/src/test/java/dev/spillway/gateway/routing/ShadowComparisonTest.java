package dev.spillway.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.gateway.routing.quality.ShadowComparison;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {

  @Test
  void closedAnswersAgreeWhenTheyNameTheSameLetterOrNumber() {
    assertEquals(
        Optional.of(true), ShadowComparison.agree("The answer is B.", "Answer: (b) because…"));
    assertEquals(
        Optional.of(false), ShadowComparison.agree("The answer is B.", "The answer is C."));
    assertEquals(Optional.of(true), ShadowComparison.agree("C", "The answer is C, since x = 2."));
    assertEquals(Optional.of(true), ShadowComparison.agree("42", " 42 "));
    assertEquals(Optional.of(false), ShadowComparison.agree("42", "41"));
  }

  @Test
  void openAnswersAgreeOnlyWhenTheirTextsAreTheSame() {
    assertEquals(Optional.of(true), ShadowComparison.agree("Paris.", "  paris "));
    assertEquals(
        Optional.of(false),
        ShadowComparison.agree("The capital is Paris.", "Paris is the capital of France."));
  }

  @Test
  void aBlankAnswerCannotBeCompared() {
    assertEquals(Optional.empty(), ShadowComparison.agree("", "The answer is A."));
    assertEquals(Optional.empty(), ShadowComparison.agree("B", null));
  }
}
