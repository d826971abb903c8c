package dev.spillway.datasets.mmlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The MMLU prompts of {@code shared/data/routing/mmlu} (RouteLLM's evaluation data, Apache-2.0):
 * {@code mmlu_<subject>.csv} files whose {@code prompt} column is the question, less the prompts
 * that RouteLLM marks as contaminated ({@code contaminated_prompts.jsonl}, field {@code
 * eval_prompt}).
 */
public final class MmluDataset {

  /** One prompt and its subject (the file name without {@code mmlu_} and {@code .csv}). */
  public record Prompt(String subject, String text) {}

  private MmluDataset() {}

  /**
   * Every prompt, subjects in alphabetical order, file order within each; contaminated ones
   * dropped.
   */
  public static List<Prompt> load(Path dir) {
    Set<String> contaminated = contaminated(dir.resolve("contaminated_prompts.jsonl"));
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
    List<Prompt> prompts = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      String subject = name.substring("mmlu_".length(), name.length() - ".csv".length());
      List<List<String>> rows = CsvRows.read(file);
      int column = rows.get(0).indexOf("prompt");
      if (column < 0) {
        throw new IllegalArgumentException(file + " has no 'prompt' column");
      }
      for (List<String> row : rows.subList(1, rows.size())) {
        String text = row.get(column);
        if (!text.isBlank() && !contaminated.contains(text)) {
          prompts.add(new Prompt(subject, text));
        }
      }
    }
    return prompts;
  }

  /**
   * The prompts RouteLLM drops from evaluation ({@code contaminated_prompts.jsonl} in {@code dir},
   * field {@code eval_prompt}); empty when the file is absent.
   */
  public static Set<String> contaminatedPrompts(Path dir) {
    return contaminated(dir.resolve("contaminated_prompts.jsonl"));
  }

  private static Set<String> contaminated(Path file) {
    Set<String> prompts = new HashSet<>();
    if (!Files.exists(file)) {
      return prompts;
    }
    ObjectMapper json = new ObjectMapper();
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (!line.isBlank()) {
          JsonNode node = json.readTree(line);
          prompts.add(node.path("eval_prompt").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return prompts;
  }

  /**
   * Writes {@code text,label} rows, the input of the embedding function's {@code TrainHeadCommand}:
   * labelled with MMLU's four subject groups (the default) or with the 57 subjects themselves (the
   * quality router's categories). Usage: {@code MmluDataset <mmlu-dir> <out.csv> [group|subject]}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2
        || args.length > 3
        || (args.length == 3 && !args[2].equals("group") && !args[2].equals("subject"))) {
      System.err.println("usage: MmluDataset <mmlu-dir> <out.csv> [group|subject]");
      System.exit(2);
    }
    boolean subjects = args.length == 3 && args[2].equals("subject");
    List<Prompt> prompts = load(Path.of(args[0]));
    try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
      out.write("text,label\n");
      for (Prompt prompt : prompts) {
        String label =
            subjects
                ? prompt.subject()
                : MmluSubjectGroups.group(prompt.subject())
                    .orElseThrow(
                        () -> new IllegalArgumentException("unknown subject " + prompt.subject()));
        out.write(CsvRows.quote(prompt.text()) + "," + label + "\n");
      }
    }
    System.out.println("wrote " + prompts.size() + " rows to " + args[1]);
  }
}
