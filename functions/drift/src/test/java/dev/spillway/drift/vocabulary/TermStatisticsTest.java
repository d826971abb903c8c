package dev.spillway.drift.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TermStatisticsTest {

  private final WordPieceTokenizer tokenizer = TestData.tokenizer();

  @Test
  void countsTermsAndTotals() {
    String text =
        "The defendant's lawyer, Mr. O'Neill, paid $1,000 in 2019 for H2O and CO2 — don't ask!";
    TermStatistics statistics = TermStatistics.of(tokenizer, List.of(text));

    assertEquals(
        Map.of(
            "defendant",
            1L,
            "lawyer",
            1L,
            "mr",
            1L,
            "neill",
            1L,
            "paid",
            1L,
            "h2o",
            1L,
            "co2",
            1L,
            "ask",
            1L),
        statistics.termCounts());
    assertEquals(1, statistics.texts());
    // the defendant ' s lawyer , mr . o ' neill , paid $ 1 , 000 in 2019 for h2o and co2 — don ' t
    // ask !
    assertEquals(29, statistics.words());
    assertEquals(tokenizer.tokens(text).size(), statistics.tokens());
    assertTrue(statistics.tokens() > statistics.words(), "h2o and co2 break into pieces");
    assertEquals(0, statistics.unknownTokens());
    assertEquals(8, statistics.termOccurrences());
    assertEquals(8, statistics.distinctTerms());
    assertEquals((double) statistics.tokens() / 29, statistics.tokensPerWord(), 1e-12);
  }

  @Test
  void definesTerms() {
    for (String term : List.of("court", "h2o", "gpt4", "ab", "σοφια")) {
      assertTrue(TermStatistics.isTerm(term), term);
    }
    // Indic vowel signs are spacing marks that the normaliser keeps: still one term.
    String hindi = tokenizer.words("किताब").get(0);
    assertTrue(TermStatistics.isTerm(hindi), hindi);

    for (String word :
        Arrays.asList(
            "a", "2019", "10kg", "1st", "the", "don", "[UNK]", "-", "", null, "x".repeat(65))) {
      assertFalse(TermStatistics.isTerm(word), String.valueOf(word));
    }
    assertTrue(TermStatistics.isTerm("x".repeat(64)));
  }

  @Test
  void anEmptyTextCountsAsATextWithNothingInIt() {
    TermStatistics statistics = TermStatistics.of(tokenizer, List.of(""));
    assertEquals(new TermStatistics(1, 0, 0, 0, Map.of()), statistics);
    assertEquals(0.0, statistics.tokensPerWord());
    assertEquals(0.0, statistics.unknownRate());
    assertEquals(TermStatistics.empty(), TermStatistics.of(tokenizer, List.of()));
  }

  @Test
  void stopWordsCountAsWordsButNotAsTerms() {
    TermStatistics statistics =
        TermStatistics.of(tokenizer, List.of("The and of to in it is was? Don't!"));
    assertEquals(Map.of(), statistics.termCounts());
    assertEquals(13, statistics.words());
  }

  @Test
  void countsUnknownPieces() {
    TermStatistics statistics =
        TermStatistics.of(tokenizer, List.of("I love 😀 and ☃☃", "all good"));
    assertEquals(2, statistics.texts());
    assertEquals(2, statistics.unknownTokens());
    assertEquals(2.0 / statistics.tokens(), statistics.unknownRate(), 1e-12);
    assertEquals(Map.of("love", 1L, "good", 1L), statistics.termCounts());
  }

  @Test
  void mergingBatchesEqualsCountingThemTogether() {
    List<String> first = TestData.mmluPrompts("college_physics", 0, 20);
    List<String> second = TestData.mmluPrompts("professional_law", 0, 5);
    List<String> both = new ArrayList<>(first);
    both.addAll(second);

    TermStatistics merged =
        TermStatistics.of(tokenizer, first).merge(TermStatistics.of(tokenizer, second));
    TermStatistics together = TermStatistics.of(tokenizer, both);
    assertEquals(together, merged);
    assertEquals(
        together, TermStatistics.of(tokenizer, second).merge(TermStatistics.of(tokenizer, first)));
    assertEquals(together, together.merge(TermStatistics.empty()));
    assertEquals(together, TermStatistics.empty().merge(together));
    assertEquals(25, merged.texts());
    assertTrue(merged.count("defendant") > 0 && merged.count("electron") > 0);
  }

  @Test
  void survivesStorageAsJson() throws Exception {
    TermStatistics statistics =
        TermStatistics.of(tokenizer, TestData.mmluPrompts("college_physics", 0, 10));
    ObjectMapper json = new ObjectMapper();
    TermStatistics restored =
        json.readValue(json.writeValueAsString(statistics), TermStatistics.class);
    assertEquals(statistics, restored);
  }

  @Test
  void termCountsCannotBeChanged() {
    TermStatistics statistics = TermStatistics.of(tokenizer, List.of("court"));
    assertThrows(UnsupportedOperationException.class, () -> statistics.termCounts().put("x", 1L));
  }

  @Test
  void refusesBadInputNamingTheProblem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TermStatistics.of(tokenizer, Arrays.asList("fine", null)));
    assertEquals("texts[1] is null", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TermStatistics.of(null, List.of("a")));
    assertThrows(IllegalArgumentException.class, () -> TermStatistics.of(tokenizer, null));
    assertThrows(IllegalArgumentException.class, () -> TermStatistics.empty().merge(null));

    assertMessage("words is -1", () -> new TermStatistics(0, -1, 0, 0, Map.of()));
    assertMessage("below words", () -> new TermStatistics(1, 5, 4, 0, Map.of()));
    assertMessage("exceeds tokens", () -> new TermStatistics(1, 5, 5, 6, Map.of()));
    assertMessage(
        "termCounts['court'] is 0", () -> new TermStatistics(1, 5, 5, 0, Map.of("court", 0L)));
    assertMessage("more than words", () -> new TermStatistics(1, 5, 5, 0, Map.of("court", 6L)));
    assertMessage("termCounts is null", () -> new TermStatistics(1, 5, 5, 0, null));
  }

  private static void assertMessage(String expected, Runnable bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
