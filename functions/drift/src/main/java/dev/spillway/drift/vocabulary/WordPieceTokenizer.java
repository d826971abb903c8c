package dev.spillway.drift.vocabulary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedding model's BERT tokenizer in plain Java, read from its HuggingFace {@code
 * tokenizer.json}: added (special) tokens matched verbatim, then {@code BertNormalizer}, {@code
 * BertPreTokenizer} and the {@code WordPiece} model, each as the Rust {@code tokenizers} crate does
 * them (the crate behind the embedding function's tokenizer), so that the vocabulary statistics
 * describe the pieces the model really sees.
 *
 * <p>Why not reuse the embedding function's native tokenizer: the drift function only needs words
 * and piece counts, not ids, masks or truncation, and a JDK-only class keeps the drift statistics
 * testable without a native library. The golden test compares it with the Rust crate on real
 * prompts and on mixed-script fuzz text.
 *
 * <p>The texts are tokenised whole: the model's 256-token truncation and the {@code [CLS]}/{@code
 * [SEP]} markers are left out, because drift is about the words users type, not about what fits.
 *
 * <p>Known divergence: character categories and case pairs come from the JDK's Unicode tables
 * (Unicode 13 in Java 17), while the crate's categories are older (before Unicode 9) and its case
 * pairs newer. Putting every one of the 1,112,064 code points between two letters through both
 * (crate 0.23.2) gives different words for 463 of them, all in recent additions: scripts such as
 * Adlam, Zanabazar Square or Dives Akuru, marks, punctuation U+2E43 to U+2E4F and case pairs added
 * after Unicode 13. Text in any widely written script tokenises identically.
 *
 * <p>Thread-safe: immutable after {@link #load}.
 */
public final class WordPieceTokenizer {

  /**
   * One pre-tokenised word and the word pieces the model sees for it.
   *
   * @param text the normalised word (lowercase, accents stripped), or a special token verbatim
   * @param pieces its word pieces, continuation pieces with their prefix ({@code ##}); never empty
   * @param unknown whether the model sees the unknown token for it (no vocabulary match, a word
   *     longer than the model's limit, or an unknown token typed verbatim)
   */
  public record Word(String text, List<String> pieces, boolean unknown) {
    public Word {
      pieces = List.copyOf(pieces);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Integer> vocabulary;
  private final String unknownToken;
  private final String continuingSubwordPrefix;
  private final int maxInputCharsPerWord;

  /** No vocabulary entry is longer (in code points), so longer candidates are never looked up. */
  private final int longestEntry;

  /** Added tokens, longest first: matched in the raw text before any normalisation. */
  private final List<String> specialTokens;

  private final boolean cleanText;
  private final boolean handleChineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  private WordPieceTokenizer(
      Map<String, Integer> vocabulary,
      String unknownToken,
      String continuingSubwordPrefix,
      int maxInputCharsPerWord,
      List<String> specialTokens,
      boolean cleanText,
      boolean handleChineseChars,
      boolean stripAccents,
      boolean lowercase) {
    this.vocabulary = vocabulary;
    this.unknownToken = unknownToken;
    this.continuingSubwordPrefix = continuingSubwordPrefix;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.longestEntry =
        vocabulary.keySet().stream()
            .mapToInt(token -> token.codePointCount(0, token.length()))
            .max()
            .orElse(0);
    this.specialTokens = specialTokens;
    this.cleanText = cleanText;
    this.handleChineseChars = handleChineseChars;
    this.stripAccents = stripAccents;
    this.lowercase = lowercase;
  }

  /**
   * Reads a HuggingFace {@code tokenizer.json} with a {@code WordPiece} model, a {@code
   * BertNormalizer} and a {@code BertPreTokenizer}.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or parsed, or naming
   *     the field when it describes another kind of tokenizer (which this class would tokenise
   *     differently from the model, so it refuses rather than guesses)
   */
  public static WordPieceTokenizer load(Path tokenizerJson) {
    if (tokenizerJson == null) {
      throw new IllegalArgumentException("tokenizer file is null");
    }
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read tokenizer file " + tokenizerJson + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(
          "tokenizer file " + tokenizerJson + " does not hold a JSON object");
    }
    return fromJson(root, tokenizerJson.toString());
  }

  private static WordPieceTokenizer fromJson(JsonNode root, String source) {
    JsonNode model = root.path("model");
    requireType(model, "WordPiece", "model.type", source);
    JsonNode vocab = model.path("vocab");
    if (!vocab.isObject() || vocab.isEmpty()) {
      throw unsupported(source, "model.vocab", "is missing or empty");
    }
    Map<String, Integer> vocabulary = new HashMap<>(vocab.size() * 2);
    vocab.properties().forEach(e -> vocabulary.put(e.getKey(), e.getValue().asInt()));
    String unknownToken = requireText(model, "unk_token", source);
    if (!vocabulary.containsKey(unknownToken)) {
      throw unsupported(source, "model.unk_token", "'" + unknownToken + "' is not in the vocab");
    }
    String prefix = requireText(model, "continuing_subword_prefix", source);
    int maxChars = model.path("max_input_chars_per_word").asInt(100);
    if (maxChars < 1) {
      throw unsupported(source, "model.max_input_chars_per_word", "is below 1");
    }

    JsonNode normalizer = root.path("normalizer");
    requireType(normalizer, "BertNormalizer", "normalizer.type", source);
    boolean lowercase = normalizer.path("lowercase").asBoolean(true);
    // The crate's rule: strip_accents null means "as lowercase".
    JsonNode stripAccents = normalizer.path("strip_accents");
    boolean strip = stripAccents.isBoolean() ? stripAccents.asBoolean() : lowercase;
    requireType(root.path("pre_tokenizer"), "BertPreTokenizer", "pre_tokenizer.type", source);

    List<String> specialTokens = new ArrayList<>();
    for (JsonNode added : root.path("added_tokens")) {
      String content = added.path("content").asText("");
      // Only verbatim, whole-string matching is implemented; any other matching rule would split
      // texts differently from the model, so refuse it rather than approximate it.
      if (content.isEmpty()
          || added.path("normalized").asBoolean(false)
          || added.path("single_word").asBoolean(false)
          || added.path("lstrip").asBoolean(false)
          || added.path("rstrip").asBoolean(false)) {
        throw unsupported(
            source,
            "added_tokens",
            "'" + content + "' needs normalized, single_word, lstrip or rstrip matching");
      }
      specialTokens.add(content);
    }
    specialTokens.sort(Comparator.comparingInt(String::length).reversed());

    return new WordPieceTokenizer(
        Map.copyOf(vocabulary),
        unknownToken,
        prefix,
        maxChars,
        List.copyOf(specialTokens),
        normalizer.path("clean_text").asBoolean(true),
        normalizer.path("handle_chinese_chars").asBoolean(true),
        strip,
        lowercase);
  }

  private static void requireType(JsonNode node, String type, String field, String source) {
    String actual = node.path("type").asText(null);
    if (!type.equals(actual)) {
      throw unsupported(source, field, "is " + actual + ", expected " + type);
    }
  }

  private static String requireText(JsonNode model, String field, String source) {
    JsonNode value = model.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw unsupported(source, "model." + field, "is missing or empty");
    }
    return value.asText();
  }

  private static IllegalArgumentException unsupported(String source, String field, String why) {
    return new IllegalArgumentException("tokenizer file " + source + ": " + field + " " + why);
  }

  /**
   * Tokenises a text into its words and their pieces, in order.
   *
   * @throws IllegalArgumentException when {@code text} is null
   */
  public List<Word> tokenize(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text is null");
    }
    List<Word> words = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int at = -1;
      String special = null;
      for (String candidate : specialTokens) {
        int index = text.indexOf(candidate, from);
        // Leftmost match wins; at equal positions the longest, which comes first in the list.
        if (index >= 0 && (at < 0 || index < at)) {
          at = index;
          special = candidate;
        }
      }
      int end = at < 0 ? text.length() : at;
      for (String word : preTokenize(normalize(text.substring(from, end)))) {
        List<String> pieces = wordPieces(word);
        words.add(new Word(word, pieces, pieces.size() == 1 && isUnknown(pieces.get(0))));
      }
      if (special == null) {
        break;
      }
      words.add(new Word(special, List.of(special), isUnknown(special)));
      from = at + special.length();
    }
    return List.copyOf(words);
  }

  /** The normalised, pre-tokenised words of a text (special tokens verbatim). */
  public List<String> words(String text) {
    return tokenize(text).stream().map(Word::text).toList();
  }

  /** Every word piece of a text, in order, without {@code [CLS]}/{@code [SEP]}. */
  public List<String> tokens(String text) {
    return tokenize(text).stream().flatMap(word -> word.pieces().stream()).toList();
  }

  /**
   * WordPiece for one normalised word (as {@link #words} returns it): greedy longest match first,
   * continuation pieces prefixed; the unknown token alone when any part has no match or the word is
   * longer than the model's limit.
   */
  public List<String> wordPieces(String word) {
    if (word == null) {
      throw new IllegalArgumentException("word is null");
    }
    int length = word.codePointCount(0, word.length());
    if (length == 0) {
      return List.of();
    }
    if (length > maxInputCharsPerWord) {
      return List.of(unknownToken);
    }
    int[] offsets = new int[length + 1];
    for (int i = 0, at = 0; i < length; i++) {
      offsets[i] = at;
      at += Character.charCount(word.codePointAt(at));
    }
    offsets[length] = word.length();

    List<String> pieces = new ArrayList<>();
    int start = 0;
    while (start < length) {
      String match = null;
      int end = Math.min(length, start + longestEntry);
      for (; end > start; end--) {
        String candidate = word.substring(offsets[start], offsets[end]);
        if (start > 0) {
          candidate = continuingSubwordPrefix + candidate;
        }
        if (vocabulary.containsKey(candidate)) {
          match = candidate;
          break;
        }
      }
      if (match == null) {
        return List.of(unknownToken);
      }
      pieces.add(match);
      start = end;
    }
    return List.copyOf(pieces);
  }

  /** Whether a piece is the unknown token ({@code [UNK]}). */
  public boolean isUnknown(String piece) {
    return unknownToken.equals(piece);
  }

  /** Whether the vocabulary holds this exact token (continuation pieces with their prefix). */
  public boolean inVocabulary(String token) {
    return vocabulary.containsKey(token);
  }

  public String unknownToken() {
    return unknownToken;
  }

  public int vocabularySize() {
    return vocabulary.size();
  }

  // ---- BertNormalizer -------------------------------------------------------------------------

  private String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    boolean ascii = true;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (cleanText) {
        if (c == 0 || c == 0xFFFD || isControl(c)) {
          continue;
        }
        if (isWhitespace(c)) {
          c = ' ';
        }
      }
      if (handleChineseChars && isChineseChar(c)) {
        // Each ideograph becomes its own word: Chinese is written without spaces.
        out.append(' ').appendCodePoint(c).append(' ');
      } else {
        out.appendCodePoint(c);
      }
      ascii &= c < 0x80;
    }
    String normalized = out.toString();
    if (stripAccents && !ascii) {
      normalized = withoutNonspacingMarks(Normalizer.normalize(normalized, Normalizer.Form.NFD));
    }
    if (lowercase) {
      normalized = lowercase(normalized);
    }
    return normalized;
  }

  private static String withoutNonspacingMarks(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  /**
   * Per code point, as Rust's {@code char::to_lowercase}: no context (a final capital sigma becomes
   * σ, not ς, unlike {@link String#toLowerCase}), but the full mapping of İ to "i̇".
   */
  private static String lowercase(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == 0x130) {
        out.append("i\u0307");
      } else {
        out.appendCodePoint(Character.toLowerCase(c));
      }
    }
    return out.toString();
  }

  /**
   * Control (Cc), format (Cf), private-use (Co) and lone surrogate (Cs) characters, which cleaning
   * deletes; tab, newline and carriage return count as whitespace instead. Unassigned code points
   * (Cn) are kept, as the crate keeps them.
   */
  private static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE -> true;
      default -> false;
    };
  }

  /**
   * Unicode's White_Space property (Rust's {@code char::is_whitespace}); unlike {@link
   * Character#isWhitespace} it includes the no-break spaces.
   */
  static boolean isWhitespace(int c) {
    return (c >= 0x09 && c <= 0x0D)
        || c == 0x20
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  /** The CJK ideograph blocks of the crate's BertNormalizer (not Japanese kana nor Hangul). */
  private static boolean isChineseChar(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF)
        || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F)
        || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF)
        || (c >= 0x2F800 && c <= 0x2FA1F);
  }

  // ---- BertPreTokenizer -----------------------------------------------------------------------

  /** Splits on whitespace (dropped) and punctuation (each character a word of its own). */
  private static List<String> preTokenize(String text) {
    List<String> words = new ArrayList<>();
    int wordStart = -1;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      if (isWhitespace(c) || isPunctuation(c)) {
        if (wordStart >= 0) {
          words.add(text.substring(wordStart, i));
          wordStart = -1;
        }
        if (!isWhitespace(c)) {
          words.add(text.substring(i, next));
        }
      } else if (wordStart < 0) {
        wordStart = i;
      }
      i = next;
    }
    if (wordStart >= 0) {
      words.add(text.substring(wordStart));
    }
    return words;
  }

  /**
   * All 32 ASCII symbols and punctuation marks ({@code $}, {@code +}, {@code <} and {@code ^}
   * included), and the Unicode punctuation categories (P*); non-ASCII symbols such as € or emoji
   * stay inside words.
   */
  static boolean isPunctuation(int c) {
    if (c < 0x80) {
      return (c >= 33 && c <= 47)
          || (c >= 58 && c <= 64)
          || (c >= 91 && c <= 96)
          || (c >= 123 && c <= 126);
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }
}
