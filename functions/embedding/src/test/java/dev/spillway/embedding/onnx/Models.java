package dev.spillway.embedding.onnx;

import dev.spillway.embedding.model.ModelRegistry;
import dev.spillway.embedding.model.ModelSpec;
import java.nio.file.Path;

/** The repository's models, for tests run from the module folder. */
public final class Models {

  /** The repository's {@code onnx-models/}, from {@code functions/embedding}. */
  public static final Path DIR = Path.of("../../onnx-models");

  /**
   * The MMLU prompts, next to the repository ({@code ../shared/data/routing/mmlu} from its root).
   */
  public static final Path MMLU = Path.of("../../../shared/data/routing/mmlu");

  public static final String FP32 = "all-minilm-l6-v2";
  public static final String INT8 = "all-minilm-l6-v2-q";

  private Models() {}

  public static ModelSpec spec(String id) {
    return ModelRegistry.load(DIR).model(id).orElseThrow();
  }

  /** Loads a model on the CPU with the function's default session settings. */
  public static EmbeddingModel load(String id) {
    return EmbeddingModel.load(
        spec(id), new SessionSettings(0, 1, false, false, true, false, true), Device.CPU);
  }
}
