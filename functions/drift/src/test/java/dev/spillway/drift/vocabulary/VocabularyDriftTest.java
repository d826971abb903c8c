package dev.spillway.drift.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VocabularyDriftTest {

  private static final WordPieceTokenizer TOKENIZER = TestData.tokenizer();

  /**
   * The reference: the first half of MMLU's 102 college physics questions and all of its high
   * school and conceptual physics questions (437 in all), so that it covers the topic's everyday
   * words.
   */
  private static final TermStatistics PHYSICS_REFERENCE =
      statistics(TestData.mmluPrompts("college_physics", 0, 51))
          .merge(statistics(TestData.mmluPrompts("high_school_physics", 0, 151)))
          .merge(statistics(TestData.mmluPrompts("conceptual_physics", 0, 235)));

  /** The other half of the college physics questions: the same topic, different questions. */
  private static final TermStatistics PHYSICS_CURRENT =
      statistics(TestData.mmluPrompts("college_physics", 51, 102));

  /** Twenty professional law questions (long ones: about 1,100 characters each). */
  private static final TermStatistics LAW =
      statistics(TestData.mmluPrompts("professional_law", 0, 20));

  @Test
  void lawInjectedIntoPhysicsQueriesEmergesAndPhysicsDoesNot() {
    VocabularyDrift.Result result =
        VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT.merge(LAW));

    List<VocabularyDrift.EmergingTerm> emerging = result.emergingTerms();
    assertEquals(VocabularyDrift.DEFAULT_TOP_K, emerging.size());
    Set<String> top = emerging.stream().map(t -> t.term()).collect(Collectors.toSet());
    for (String lawTerm : List.of("court", "attorney", "contract", "defendant")) {
      assertTrue(top.contains(lawTerm), lawTerm + " not in " + top);
    }
    for (String physicsTerm :
        List.of(
            "energy",
            "mass",
            "particle",
            "electron",
            "velocity",
            "momentum",
            "charge",
            "force",
            "elevator")) {
      assertTrue(PHYSICS_REFERENCE.count(physicsTerm) > 0, physicsTerm + " is a reference term");
      assertFalse(top.contains(physicsTerm), physicsTerm + " in " + top);
    }
    for (VocabularyDrift.EmergingTerm term : emerging) {
      assertTrue(
          LAW.count(term.term()) > PHYSICS_CURRENT.count(term.term()),
          term + " rose because of the law questions");
      assertEquals(PHYSICS_REFERENCE.count(term.term()), term.referenceCount());
      assertEquals(
          PHYSICS_CURRENT.count(term.term()) + LAW.count(term.term()), term.currentCount());
    }
    for (int i = 1; i < emerging.size(); i++) {
      assertTrue(emerging.get(i - 1).score() >= emerging.get(i).score(), "highest score first");
    }

    // "plaintiff" occurs only twice in these law questions: it rose, but less clearly than the
    // twenty above; a longer list has it.
    assertTrue(
        VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT.merge(LAW), 1000)
            .emergingTerms()
            .stream()
            .anyMatch(t -> t.term().equals("plaintiff") && t.currentCount() == 2));
  }

  @Test
  void moreOfTheCurrentWindowIsUnseenWhenLawIsInjected() {
    VocabularyDrift.Result physicsOnly =
        VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT);
    VocabularyDrift.Result withLaw =
        VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT.merge(LAW));

    assertTrue(
        withLaw.unseenShare() > physicsOnly.unseenShare() + 0.2,
        withLaw.unseenShare() + " vs " + physicsOnly.unseenShare());
    assertTrue(withLaw.unseenTermShare() > physicsOnly.unseenTermShare());
    assertEquals(
        (double) withLaw.unseenOccurrences() / withLaw.currentOccurrences(),
        withLaw.unseenShare(),
        1e-12);
    assertEquals(PHYSICS_CURRENT.merge(LAW).termOccurrences(), withLaw.currentOccurrences());
    assertEquals(PHYSICS_CURRENT.merge(LAW).distinctTerms(), withLaw.currentTerms());
  }

  @Test
  void reportsFragmentationOfBothSides() {
    TermStatistics foreign =
        statistics(
            List.of(
                "Wie funktioniert die Quantenverschränkung bei Photonenpaaren? 😀😀",
                "Erklären Sie die Unschärferelation 🚀"));
    VocabularyDrift.Result result = VocabularyDrift.compare(PHYSICS_REFERENCE, foreign);
    VocabularyDrift.Fragmentation fragmentation = result.fragmentation();

    assertEquals(PHYSICS_REFERENCE.tokensPerWord(), fragmentation.referenceTokensPerWord());
    assertEquals(foreign.tokensPerWord(), fragmentation.currentTokensPerWord());
    assertEquals(PHYSICS_REFERENCE.unknownRate(), fragmentation.referenceUnknownRate());
    assertEquals(foreign.unknownRate(), fragmentation.currentUnknownRate());
    assertTrue(fragmentation.currentTokensPerWord() > fragmentation.referenceTokensPerWord() + 0.5);
    assertTrue(fragmentation.currentUnknownRate() > fragmentation.referenceUnknownRate());
  }

  @Test
  void withAnEmptyReferenceEverythingIsUnseenAndNothingCanHaveRisen() {
    VocabularyDrift.Result result =
        VocabularyDrift.compare(TermStatistics.empty(), PHYSICS_CURRENT);
    assertEquals(1.0, result.unseenShare());
    assertEquals(1.0, result.unseenTermShare());
    assertEquals(List.of(), result.emergingTerms());
    assertEquals(0.0, result.fragmentation().referenceTokensPerWord());
  }

  @Test
  void anEmptyCurrentWindowHasNothingUnseen() {
    VocabularyDrift.Result result =
        VocabularyDrift.compare(PHYSICS_REFERENCE, TermStatistics.empty());
    assertEquals(0.0, result.unseenShare());
    assertEquals(0.0, result.unseenTermShare());
    assertEquals(0, result.currentTerms());
    assertEquals(List.of(), result.emergingTerms());
  }

  @Test
  void listsOnlyRisingTermsWhenTopKExceedsThem() {
    TermStatistics reference = statistics(List.of("The court rules."));
    TermStatistics current = statistics(List.of("The court rules: contract, contract."));
    VocabularyDrift.Result result = VocabularyDrift.compare(reference, current, 100);

    // court and rules fall from 1/2 to 1/4 of the terms; contract rises from 0 to 2/4. Pooled
    // prior a = 2, a0 = 6: delta = ln(4/6) - ln(2/6) = ln 2, variance = 1/4 + 1/2.
    assertEquals(1, result.emergingTerms().size());
    VocabularyDrift.EmergingTerm contract = result.emergingTerms().get(0);
    assertEquals("contract", contract.term());
    assertEquals(2, contract.currentCount());
    assertEquals(0, contract.referenceCount());
    assertEquals(Math.log(2) / Math.sqrt(0.75), contract.score(), 1e-12);
    assertEquals(0.5, result.unseenShare());
    assertEquals(1.0 / 3, result.unseenTermShare(), 1e-12);
  }

  @Test
  void scoresWeighTheRiseByItsEvidence() {
    // An unchanged share is no rise, whatever the window sizes.
    assertEquals(0.0, VocabularyDrift.logOddsZScore(2, 10, 4, 20));
    assertEquals(0.0, VocabularyDrift.logOddsZScore(30, 1000, 3, 100));
    // A new term seen ten times outranks one seen three times.
    assertTrue(
        VocabularyDrift.logOddsZScore(10, 1000, 0, 1000)
            > VocabularyDrift.logOddsZScore(3, 1000, 0, 1000));
    // A falling term scores below zero.
    assertTrue(VocabularyDrift.logOddsZScore(1, 1000, 10, 1000) < 0);
    // The only term on both sides: no difference to measure.
    assertEquals(0.0, VocabularyDrift.logOddsZScore(5, 5, 3, 3));
  }

  @Test
  void topKLimitsTheList() {
    VocabularyDrift.Result result =
        VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT.merge(LAW), 3);
    assertEquals(
        VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT.merge(LAW))
            .emergingTerms()
            .subList(0, 3),
        result.emergingTerms());
  }

  @Test
  void refusesBadInputNamingTheProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> VocabularyDrift.compare(PHYSICS_REFERENCE, PHYSICS_CURRENT, 0));
    assertEquals("topK is 0, expected >= 1", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> VocabularyDrift.compare(null, PHYSICS_CURRENT));
    assertEquals("reference is null", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> VocabularyDrift.compare(PHYSICS_REFERENCE, null));
    assertEquals("current is null", e.getMessage());
  }

  private static TermStatistics statistics(List<String> texts) {
    return TermStatistics.of(TOKENIZER, new ArrayList<>(texts));
  }
}
