package dev.spillway.routing.data;

import dev.spillway.datasets.mmlu.CsvRows;
import dev.spillway.datasets.mmlu.MmluDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Per-prompt outcomes of a set of candidate models: the training and evaluation data of a router.
 *
 * <p>Two layouts are read. A CSV with a {@code prompt} column, an optional {@code category} column,
 * and one column per candidate whose cells are {@code True}/{@code False} (any case), {@code
 * 1}/{@code 0}, or a score in [0, 1]. Or a directory of {@code mmlu_<subject>.csv} files in
 * RouteLLM's MMLU layout, where the subject is the category and the prompts RouteLLM marks as
 * contaminated are dropped. Any other cell, a missing {@code prompt} column or fewer than two
 * candidates is an {@link IllegalArgumentException} naming the file, line and column.
 *
 * @param candidates the candidates' names, in column order
 * @param rows every prompt, in file order
 */
public record OutcomeTable(List<String> candidates, List<Outcome> rows) {

  /** The category of prompts whose data names none. */
  public static final String DEFAULT_CATEGORY = "default";

  public OutcomeTable {
    candidates = List.copyOf(candidates);
    rows = List.copyOf(rows);
  }

  /** Reads a CSV file, or an MMLU directory (see the class comment). */
  public static OutcomeTable read(Path path) {
    return Files.isDirectory(path) ? readMmlu(path) : readCsv(path, null, Set.of());
  }

  /** Reads every {@code mmlu_<subject>.csv} of {@code dir}, contaminated prompts dropped. */
  public static OutcomeTable readMmlu(Path dir) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> p.getFileName().toString().matches("mmlu_.+\\.csv")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(dir + " holds no mmlu_<subject>.csv file");
    }
    Set<String> contaminated = MmluDataset.contaminatedPrompts(dir);
    List<String> candidates = null;
    List<Outcome> rows = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String subject = name.substring("mmlu_".length(), name.length() - ".csv".length());
      OutcomeTable part = readCsv(file, subject, contaminated);
      if (candidates == null) {
        candidates = part.candidates();
      } else if (!candidates.equals(part.candidates())) {
        throw new IllegalArgumentException(
            file + " has candidates " + part.candidates() + ", the others " + candidates);
      }
      rows.addAll(part.rows());
    }
    return new OutcomeTable(candidates, rows);
  }

  private static OutcomeTable readCsv(Path file, String category, Set<String> dropped) {
    List<List<String>> lines = CsvRows.read(file);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty: expected a header with 'prompt'");
    }
    List<String> header = lines.get(0);
    int prompt = header.indexOf("prompt");
    if (prompt < 0) {
      throw new IllegalArgumentException(file + " has no 'prompt' column (header: " + header + ")");
    }
    int categoryColumn = header.indexOf("category");
    List<Integer> columns = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      if (i != prompt && i != categoryColumn && !header.get(i).equals("id")) {
        columns.add(i);
        candidates.add(header.get(i));
      }
    }
    if (candidates.size() < 2) {
      throw new IllegalArgumentException(
          file
              + " names "
              + candidates.size()
              + " candidate column(s); a router needs two or more");
    }
    List<Outcome> rows = new ArrayList<>();
    for (int line = 1; line < lines.size(); line++) {
      List<String> row = lines.get(line);
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      if (row.size() != header.size()) {
        throw new IllegalArgumentException(
            file + " row " + line + " has " + row.size() + " fields, the header " + header.size());
      }
      String text = row.get(prompt);
      if (text.isBlank() || dropped.contains(text)) {
        continue;
      }
      double[] quality = new double[columns.size()];
      for (int c = 0; c < columns.size(); c++) {
        quality[c] = quality(row.get(columns.get(c)), file, line, candidates.get(c));
      }
      String rowCategory =
          category != null
              ? category
              : categoryColumn >= 0 && !row.get(categoryColumn).isBlank()
                  ? row.get(categoryColumn)
                  : DEFAULT_CATEGORY;
      rows.add(new Outcome(text, rowCategory, quality));
    }
    return new OutcomeTable(candidates, rows);
  }

  private static double quality(String cell, Path file, int line, String column) {
    String value = cell.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "true":
        return 1;
      case "false":
        return 0;
      default:
        break;
    }
    try {
      double score = Double.parseDouble(value);
      if (score >= 0 && score <= 1) {
        return score;
      }
    } catch (NumberFormatException notANumber) {
      // Reported below with the rest.
    }
    throw new IllegalArgumentException(
        file
            + " row "
            + line
            + " column '"
            + column
            + "': '"
            + cell
            + "' is not an outcome (True/False, 1/0 or a score in [0, 1])");
  }

  /** The candidate with the highest mean quality: the router's reference. */
  public int strongest() {
    return byMean(true);
  }

  /** The candidate with the lowest mean quality. */
  public int weakest() {
    return byMean(false);
  }

  /** Mean quality of candidate {@code c} over every row. */
  public double mean(int c) {
    double sum = 0;
    for (Outcome row : rows) {
      sum += row.quality()[c];
    }
    return rows.isEmpty() ? 0 : sum / rows.size();
  }

  private int byMean(boolean highest) {
    int best = 0;
    for (int c = 1; c < candidates.size(); c++) {
      if (highest ? mean(c) > mean(best) : mean(c) < mean(best)) {
        best = c;
      }
    }
    return best;
  }
}
