package dev.spillway.simulator;

import dev.spillway.routing.data.Outcome;
import dev.spillway.routing.data.OutcomeTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Outcome replay: each mapped model answers each recorded prompt correctly or not, exactly as an
 * outcome table (e.g. RouteLLM's MMLU data) records for the model it stands for, so that a load
 * test through a quality router measures real routed accuracy and cost.
 *
 * <p>A multiple-choice answer names a letter. RouteLLM's data records correctness but not MMLU's
 * answer key, so the replay's key is {@link #keyLetter}: a letter derived from the prompt's
 * SHA-256, the same for every model and every run. A correct answer names the key, a wrong one the
 * letter after it; whoever grades the answers (the Gatling cost simulation) applies the same rule.
 * Prompts the table does not hold, and models it does not map, get ordinary generated text.
 * Immutable and thread-safe.
 */
public final class OutcomeReplay {

  private static final String LETTERS = "ABCD";

  private final Map<String, double[]> byPrompt;
  private final Map<String, Integer> columnByModel;

  private OutcomeReplay(Map<String, double[]> byPrompt, Map<String, Integer> columnByModel) {
    this.byPrompt = byPrompt;
    this.columnByModel = Map.copyOf(columnByModel);
  }

  /**
   * @param table the recorded outcomes
   * @param models simulated model name → the table's candidate it stands for
   * @throws IllegalArgumentException naming a candidate the table does not have
   */
  public static OutcomeReplay of(OutcomeTable table, Map<String, String> models) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException(
          "outcome replay needs at least one model mapped to a candidate (NAME=CANDIDATE)");
    }
    Map<String, Integer> columns = new LinkedHashMap<>();
    models.forEach(
        (model, candidate) -> {
          int column = table.candidates().indexOf(candidate);
          if (column < 0) {
            throw new IllegalArgumentException(
                "model '"
                    + model
                    + "' stands for '"
                    + candidate
                    + "', which is not a candidate of the outcome table "
                    + table.candidates());
          }
          columns.put(model, column);
        });
    Map<String, double[]> byPrompt = new HashMap<>();
    for (Outcome row : table.rows()) {
      byPrompt.put(row.prompt().strip(), row.quality());
    }
    return new OutcomeReplay(byPrompt, columns);
  }

  /** Reads a table ({@link OutcomeTable#read}: a CSV or an MMLU directory) and maps models. */
  public static OutcomeReplay read(Path data, Map<String, String> models) {
    return of(OutcomeTable.read(data), models);
  }

  /** Whether {@code model} answers {@code prompt} correctly; empty when either is not replayed. */
  public Optional<Boolean> correct(String model, String prompt) {
    Integer column = columnByModel.get(model);
    if (column == null || prompt == null) {
      return Optional.empty();
    }
    double[] quality = byPrompt.get(prompt.strip());
    return quality == null ? Optional.empty() : Optional.of(quality[column] >= 0.5);
  }

  /** The replay's answer key for a prompt: one of A–D from its SHA-256. */
  public static char keyLetter(String prompt) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(prompt.strip().getBytes(StandardCharsets.UTF_8));
      return LETTERS.charAt((digest[0] & 0xff) % LETTERS.length());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The letter a replayed answer names: the key when correct, the next letter when not. */
  public static char answerLetter(String prompt, boolean correct) {
    char key = keyLetter(prompt);
    return correct ? key : LETTERS.charAt((LETTERS.indexOf(key) + 1) % LETTERS.length());
  }

  /** Prompts held. */
  public int prompts() {
    return byPrompt.size();
  }

  /** The mapped model names. */
  public java.util.Set<String> models() {
    return columnByModel.keySet();
  }
}
