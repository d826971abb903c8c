package dev.spillway.embedding.classify;

import dev.spillway.datasets.mmlu.CsvRows;
import dev.spillway.embedding.batching.BatchListener;
import dev.spillway.embedding.batching.BatchingSettings;
import dev.spillway.embedding.batching.DynamicBatcher;
import dev.spillway.embedding.batching.Submission;
import dev.spillway.embedding.model.ModelRegistry;
import dev.spillway.embedding.model.ModelSpec;
import dev.spillway.embedding.onnx.Device;
import dev.spillway.embedding.onnx.EmbeddingModel;
import dev.spillway.embedding.onnx.SessionSettings;
import dev.spillway.embedding.onnx.TokenizedText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Trains a classification head from a CSV of {@code text,label}: embeds every text with the real
 * model, holds out a stratified fraction, fits {@link LogisticRegression} on the rest, reports
 * held-out accuracy and writes the head (fitted on the training part only, so the reported accuracy
 * is the committed head's).
 *
 * <pre>
 * TrainHeadCommand --models-dir onnx-models --model all-minilm-l6-v2-q --csv data.csv \
 *     --out onnx-models/heads/name.json [--holdout 0.2] [--seed 42] [--epochs 400]
 * </pre>
 */
public final class TrainHeadCommand {

  private TrainHeadCommand() {}

  /** The outcome of a training run. */
  public record Result(ClassifierHead head, double heldOutAccuracy, int train, int heldOut) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    for (String required : List.of("models-dir", "model", "csv", "out")) {
      if (!options.containsKey(required)) {
        System.err.println(
            "usage: TrainHeadCommand --models-dir DIR --model ID --csv FILE --out FILE"
                + " [--holdout 0.2] [--seed 42] [--epochs 400]");
        System.exit(2);
      }
    }
    Path csv = Path.of(options.get("csv"));
    List<List<String>> rows = CsvRows.read(csv);
    int text = rows.get(0).indexOf("text");
    int label = rows.get(0).indexOf("label");
    if (text < 0 || label < 0) {
      throw new IllegalArgumentException(csv + " needs a header with 'text' and 'label'");
    }
    List<String> texts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      texts.add(row.get(text));
      labels.add(row.get(label));
    }
    ModelRegistry registry = ModelRegistry.load(Path.of(options.get("models-dir")));
    ModelSpec spec =
        registry
            .model(options.get("model"))
            .orElseThrow(
                () -> new IllegalArgumentException("unknown model " + options.get("model")));
    Result result;
    try (EmbeddingModel model = EmbeddingModel.load(spec, defaultSettings(), Device.CPU)) {
      long started = System.nanoTime();
      float[][] x = embedAll(model, texts);
      System.out.printf(
          "embedded %d texts with %s in %.1f s%n",
          texts.size(), spec.id(), (System.nanoTime() - started) / 1e9);
      result =
          train(
              spec.id(),
              x,
              labels,
              Double.parseDouble(options.getOrDefault("holdout", "0.2")),
              Long.parseLong(options.getOrDefault("seed", "42")),
              new LogisticRegression.Settings(
                  Integer.parseInt(options.getOrDefault("epochs", "400")),
                  LogisticRegression.Settings.DEFAULT.learningRate(),
                  LogisticRegression.Settings.DEFAULT.l2()),
              Map.of("source", csv.getFileName().toString()));
    }
    result.head().write(Path.of(options.get("out")));
    System.out.printf(
        "held-out accuracy %.4f (%d train, %d held out); head written to %s%n",
        result.heldOutAccuracy(), result.train(), result.heldOut(), options.get("out"));
  }

  /** The session settings the function uses by default (2 cores, no spinning). */
  static SessionSettings defaultSettings() {
    return new SessionSettings(0, 1, false, false, true, false, true);
  }

  /** Embeds texts through a {@link DynamicBatcher}, so that they are batched by length. */
  public static float[][] embedAll(EmbeddingModel model, List<String> texts) throws Exception {
    List<TokenizedText> tokens = new ArrayList<>(texts.size());
    for (String t : texts) {
      tokens.add(model.tokenize(t));
    }
    try (DynamicBatcher batcher =
        new DynamicBatcher(
            "train",
            model::embed,
            new BatchingSettings(8192, 256, Duration.ZERO, Long.MAX_VALUE),
            BatchListener.NONE)) {
      Submission submission = batcher.submit(tokens);
      return ((Submission.Accepted) submission).vectors().get();
    }
  }

  /**
   * Splits stratified by label (each label's examples shuffled with {@code seed}, the first {@code
   * holdout} fraction held out), fits on the rest and scores the held-out part.
   */
  public static Result train(
      String embeddingModel,
      float[][] x,
      List<String> labels,
      double holdout,
      long seed,
      LogisticRegression.Settings settings,
      Map<String, Object> source) {
    List<String> classes = new ArrayList<>(new TreeSet<>(labels));
    Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.computeIfAbsent(labels.get(i), l -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (String c : classes) {
      List<Integer> members = byLabel.get(c);
      Collections.shuffle(members, random);
      int held = (int) Math.round(members.size() * holdout);
      test.addAll(members.subList(0, held));
      train.addAll(members.subList(held, members.size()));
    }
    float[][] trainX = new float[train.size()][];
    int[] trainY = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      trainX[i] = x[train.get(i)];
      trainY[i] = classes.indexOf(labels.get(train.get(i)));
    }
    Map<String, Object> about = new LinkedHashMap<>(source);
    about.put("trained-on", train.size());
    about.put("held-out", test.size());
    about.put("seed", seed);
    about.put("epochs", settings.epochs());
    ClassifierHead draft =
        LogisticRegression.train(embeddingModel, classes, trainX, trainY, settings, about);
    int correct = 0;
    for (int i : test) {
      if (classes.get(LogisticRegression.argmax(draft.probabilities(x[i]))).equals(labels.get(i))) {
        correct++;
      }
    }
    double accuracy = test.isEmpty() ? Double.NaN : (double) correct / test.size();
    about.put("held-out-accuracy", Math.round(accuracy * 10_000) / 10_000.0);
    ClassifierHead head =
        new ClassifierHead(
            ClassifierHead.FORMAT, embeddingModel, classes, draft.weights(), draft.bias(), about);
    return new Result(head, accuracy, train.size(), test.size());
  }
}
