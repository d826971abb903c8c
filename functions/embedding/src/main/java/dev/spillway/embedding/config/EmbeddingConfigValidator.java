package dev.spillway.embedding.config;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks what {@link EmbeddingConfig}'s types cannot: ranges and the models folder. Every problem
 * names its key; all are reported at once.
 */
public final class EmbeddingConfigValidator {

  /** The problems found; empty when the configuration is usable. */
  public List<String> problems(EmbeddingConfig config) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(config.modelsDir())) {
      problems.add(
          "embedding.models-dir: "
              + config.modelsDir().toAbsolutePath().normalize()
              + " is not a folder (the repository's onnx-models/)");
    }
    config
        .models()
        .ifPresent(
            models -> {
              if (models.isEmpty()) {
                problems.add("embedding.models is empty: list at least one model or unset it");
              }
            });
    EmbeddingConfig.Onnx onnx = config.onnx();
    if (onnx.intraOpThreads() < 0) {
      problems.add("embedding.onnx.intra-op-threads must be 0 (one per core) or more");
    }
    if (onnx.interOpThreads() < 0) {
      problems.add("embedding.onnx.inter-op-threads must be 0 or more");
    }
    String mode = onnx.executionMode().toLowerCase(Locale.ROOT);
    if (!mode.equals("sequential") && !mode.equals("parallel")) {
      problems.add("embedding.onnx.execution-mode must be 'sequential' or 'parallel'");
    }
    EmbeddingConfig.Batching batching = config.batching();
    if (batching.maxBatchTokens() < 256) {
      problems.add("embedding.batching.max-batch-tokens must be at least 256 (one maximal input)");
    }
    if (batching.maxBatchSize() < 1) {
      problems.add("embedding.batching.max-batch-size must be at least 1");
    }
    if (batching.maxWait().isNegative() || batching.maxWait().toMillis() > 1000) {
      problems.add("embedding.batching.max-wait must be between 0 and 1s");
    }
    if (batching.maxQueuedTokens() < batching.maxBatchTokens()) {
      problems.add(
          "embedding.batching.max-queued-tokens must be at least embedding.batching.max-batch-tokens");
    }
    if (config.limits().maxInputs() < 1) {
      problems.add("embedding.limits.max-inputs must be at least 1");
    }
    if (config.limits().maxBodyBytes() < 1024) {
      problems.add("embedding.limits.max-body-bytes must be at least 1024");
    }
    return problems;
  }
}
