package dev.spillway.drift.vocabulary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The repository's tokenizer and the MMLU prompts beside the repository, for tests run from the
 * module folder. Surefire passes both folders as system properties (see the module's pom); the
 * defaults are the same paths relative to {@code functions/drift}.
 */
final class TestData {

  /** The embedding model's {@code tokenizer.json}, materialised by the onnx-models module. */
  static final Path TOKENIZER =
      Path.of(System.getProperty("drift.test.models-dir", "../../onnx-models"))
          .resolve("all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json");

  /** {@code shared/data/routing/mmlu}: RouteLLM's MMLU evaluation prompts, one CSV per subject. */
  static final Path MMLU =
      Path.of(System.getProperty("drift.test.mmlu-dir", "../../../shared/data/routing/mmlu"));

  private static WordPieceTokenizer tokenizer;

  private TestData() {}

  /** Loaded once: 30,522 entries are worth sharing between test classes. */
  static synchronized WordPieceTokenizer tokenizer() {
    if (tokenizer == null) {
      tokenizer = WordPieceTokenizer.load(TOKENIZER);
    }
    return tokenizer;
  }

  /**
   * The {@code prompt} column (the first) of rows {@code from} (inclusive, 0 = the first after the
   * header) to {@code to} (exclusive) of {@code mmlu_<subject>.csv}.
   */
  static List<String> mmluPrompts(String subject, int from, int to) {
    Path file = MMLU.resolve("mmlu_" + subject + ".csv");
    String csv;
    try {
      csv = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<List<String>> rows = csvRows(csv);
    if (rows.size() - 1 < to) {
      throw new IllegalStateException(file + " has " + (rows.size() - 1) + " rows, need " + to);
    }
    return rows.subList(1 + from, 1 + to).stream().map(row -> row.get(0)).toList();
  }

  /** RFC 4180: comma-separated, fields in double quotes may hold commas, newlines and "". */
  static List<List<String>> csvRows(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
