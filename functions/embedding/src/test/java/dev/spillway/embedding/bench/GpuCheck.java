package dev.spillway.embedding.bench;

import dev.spillway.datasets.mmlu.MmluDataset;
import dev.spillway.embedding.classify.TrainHeadCommand;
import dev.spillway.embedding.model.ModelRegistry;
import dev.spillway.embedding.model.ModelSpec;
import dev.spillway.embedding.onnx.Device;
import dev.spillway.embedding.onnx.EmbeddingModel;
import dev.spillway.embedding.onnx.Pooling;
import dev.spillway.embedding.onnx.SessionSettings;
import dev.spillway.embedding.onnx.TokenizedText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * On a GPU machine (built with {@code -Pcuda}): embeds the benchmark's MMLU prompts on CUDA and on
 * the CPU with each model, checks that the vectors agree (fp32: min cosine ≥ 0.9999; int8: mean ≥
 * 0.99, since its activation scales depend on the batch) and prints both throughputs. Exits 1 when
 * CUDA is not in use or the vectors disagree.
 *
 * <p>Usage: {@code GpuCheck <models-dir> <mmlu-dir> [prompts=2048]}.
 */
public final class GpuCheck {

  private GpuCheck() {}

  public static void main(String[] args) throws Exception {
    Path modelsDir = Path.of(args[0]);
    List<MmluDataset.Prompt> all = new ArrayList<>(MmluDataset.load(Path.of(args[1])));
    Collections.shuffle(all, new Random(42));
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 2048;
    List<String> prompts = all.subList(0, count).stream().map(MmluDataset.Prompt::text).toList();
    SessionSettings settings = new SessionSettings(0, 1, false, false, true, false, true);
    boolean ok = true;
    System.out.println(
        "| model | device | sequences/s | real tokens/s | mean cosine vs CPU | min |");
    System.out.println("|---|---|---|---|---|---|");
    for (ModelSpec spec : ModelRegistry.load(modelsDir).models()) {
      float[][] cpu;
      float[][] gpu;
      long tokens = 0;
      try (EmbeddingModel model = EmbeddingModel.load(spec, settings, Device.CPU)) {
        for (String p : prompts) {
          TokenizedText t = model.tokenize(p);
          tokens += t.length();
        }
        long t0 = System.nanoTime();
        cpu = TrainHeadCommand.embedAll(model, prompts);
        row(spec.id(), "cpu", count, tokens, System.nanoTime() - t0, Double.NaN, Double.NaN);
      }
      try (EmbeddingModel model = EmbeddingModel.load(spec, settings, Device.CUDA)) {
        if (!model.device().equals("cuda")) {
          System.err.println("CUDA is not in use for " + spec.id());
          System.exit(1);
        }
        TrainHeadCommand.embedAll(model, prompts.subList(0, 256));
        long t0 = System.nanoTime();
        gpu = TrainHeadCommand.embedAll(model, prompts);
        long nanos = System.nanoTime() - t0;
        double sum = 0;
        double min = 1;
        for (int i = 0; i < count; i++) {
          double c = Pooling.cosine(cpu[i], gpu[i]);
          sum += c;
          min = Math.min(min, c);
        }
        double mean = sum / count;
        row(spec.id(), "cuda", count, tokens, nanos, mean, min);
        boolean quantised = spec.id().endsWith("-q");
        ok &= quantised ? mean >= 0.99 : min >= 0.9999;
      }
    }
    System.exit(ok ? 0 : 1);
  }

  private static void row(
      String model, String device, int count, long tokens, long nanos, double mean, double min) {
    double seconds = nanos / 1e9;
    System.out.printf(
        Locale.ROOT,
        "| %s | %s | %.1f | %.0f | %s | %s |%n",
        model,
        device,
        count / seconds,
        tokens / seconds,
        Double.isNaN(mean) ? "—" : String.format(Locale.ROOT, "%.6f", mean),
        Double.isNaN(min) ? "—" : String.format(Locale.ROOT, "%.6f", min));
  }
}
