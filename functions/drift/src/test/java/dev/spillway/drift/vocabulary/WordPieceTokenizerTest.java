package dev.spillway.drift.vocabulary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTokenizerTest {

  private final WordPieceTokenizer tokenizer = TestData.tokenizer();

  @Test
  void readsTheModelsVocabulary() {
    assertEquals(30522, tokenizer.vocabularySize());
    assertEquals("[UNK]", tokenizer.unknownToken());
    assertTrue(tokenizer.inVocabulary("##able"));
  }

  @Test
  void splitsRareWordsGreedilyLongestMatchFirst() {
    // The BERT README shows "un ##aff ##able", but for another vocabulary: this one has no
    // "##aff", and the longest match from the left takes "una" first.
    assertFalse(tokenizer.inVocabulary("##aff"));
    assertEquals(List.of("una", "##ffa", "##ble"), tokenizer.tokens("unaffable"));
    assertEquals(List.of("una", "##ffa", "##ble"), tokenizer.wordPieces("unaffable"));
  }

  @Test
  void splitsPunctuationIntoWordsOfTheirOwn() {
    assertEquals(List.of("hello", ",", "world", "!"), tokenizer.words("Hello, world!"));
    assertEquals(List.of("hello", ",", "world", "!"), tokenizer.tokens("Hello, world!"));
    assertEquals(
        List.of("don", "'", "t", "e", "-", "mail", "a", "+", "b", "$", "5"),
        tokenizer.words("don't e-mail a+b $5"));
  }

  @Test
  void lowercasesAndStripsAccents() {
    assertEquals(List.of("cafe"), tokenizer.tokens("Café"));
    assertEquals(List.of("naive", "resume"), tokenizer.tokens("naïve RÉSUMÉ"));
    // Per character, as the Rust crate does: a final capital sigma becomes σ, not ς.
    assertEquals(List.of("σοφιασ"), tokenizer.words("ΣΟΦΙΑΣ"));
  }

  @Test
  void aWordWithoutAnyMatchIsOneUnknownToken() {
    List<WordPieceTokenizer.Word> words = tokenizer.tokenize("I like 😀🚀☃ a lot");
    assertEquals(
        List.of("i", "like", "😀🚀☃", "a", "lot"), words.stream().map(w -> w.text()).toList());
    WordPieceTokenizer.Word emoji = words.get(2);
    assertEquals(List.of("[UNK]"), emoji.pieces());
    assertTrue(emoji.unknown());
    assertFalse(words.get(1).unknown());
    // One unmatched character makes the whole word unknown, not just that character.
    assertEquals(List.of("[UNK]"), tokenizer.tokens("x😀"));
  }

  @Test
  void aWordLongerThanTheModelsLimitIsUnknown() {
    assertFalse(tokenizer.tokens("a".repeat(100)).contains("[UNK]"));
    assertEquals(List.of("[UNK]"), tokenizer.tokens("a".repeat(101)));
  }

  @Test
  void separatesChineseIdeographsAndCleansControlCharacters() {
    assertEquals(List.of("中", "文"), tokenizer.words("中文"));
    // NUL and a zero-width space are deleted; a no-break space separates words.
    assertEquals(List.of("abc", "de"), tokenizer.words("a\u0000b\u200bc\u00a0de"));
  }

  @Test
  void matchesSpecialTokensVerbatimBeforeNormalising() {
    assertEquals(List.of("x", "[CLS]", "y"), tokenizer.tokens("x[CLS]y"));
    WordPieceTokenizer.Word typedUnknown = tokenizer.tokenize("[UNK]").get(0);
    assertTrue(typedUnknown.unknown());
    // Lowercase is not the special token: it is pre-tokenised like any text.
    assertEquals(List.of("[", "un", "##k", "]"), tokenizer.tokens("[unk]"));
  }

  @Test
  void everyPieceOfARealPromptIsInTheVocabulary() {
    String prompt = TestData.mmluPrompts("professional_law", 0, 1).get(0);
    List<String> tokens = tokenizer.tokens(prompt);
    assertTrue(tokens.size() > 100, "a law prompt is long");
    for (String token : tokens) {
      assertTrue(tokenizer.inVocabulary(token), token);
    }
  }

  @Test
  void emptyAndBlankTextsHaveNoWords() {
    assertEquals(List.of(), tokenizer.tokenize(""));
    assertEquals(List.of(), tokenizer.tokenize(" \t\n "));
    assertEquals(List.of(), tokenizer.wordPieces(""));
  }

  /**
   * The texts of {@code wordpiece-golden.jsonl} (MMLU prompts, edge cases, mixed-script fuzz) and
   * the pieces that HuggingFace's Rust crate gave them; see {@code wordpiece-golden.py}.
   */
  @Test
  void tokenisesAsTheRustTokenizersCrateDoes() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> mismatches = new ArrayList<>();
    int texts = 0;
    try (InputStream in = getClass().getResourceAsStream("wordpiece-golden.jsonl");
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        JsonNode golden = json.readTree(line);
        String text = golden.get("text").asText();
        List<String> expected = new ArrayList<>();
        golden.get("tokens").forEach(token -> expected.add(token.asText()));
        List<String> actual = tokenizer.tokens(text);
        if (!expected.equals(actual)) {
          mismatches.add(json.writeValueAsString(text) + ": " + expected + " != " + actual);
        }
        texts++;
      }
    }
    assertEquals(281, texts);
    assertEquals(List.of(), mismatches);
  }

  @Test
  void refusesNullText() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenize(null));
    assertEquals("text is null", e.getMessage());
  }

  @Test
  void namesTheFileThatCannotBeRead(@TempDir Path dir) throws IOException {
    Path missing = dir.resolve("missing-tokenizer.json");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.load(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"model\": ");
    e = assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.load(broken));
    assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());

    assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.load(null));
  }

  @Test
  void refusesAnotherKindOfTokenizerNamingTheField(@TempDir Path dir) throws IOException {
    Path bpe =
        Files.writeString(
            dir.resolve("bpe.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.load(bpe));
    assertTrue(e.getMessage().contains("model.type is BPE"), e.getMessage());
    assertTrue(e.getMessage().contains(bpe.toString()), e.getMessage());

    Path noUnknown =
        Files.writeString(
            dir.resolve("no-unk.json"),
            "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}, \"unk_token\": \"[UNK]\","
                + " \"continuing_subword_prefix\": \"##\"}}");
    e = assertThrows(IllegalArgumentException.class, () -> WordPieceTokenizer.load(noUnknown));
    assertTrue(e.getMessage().contains("model.unk_token"), e.getMessage());
  }
}
