package dev.spillway.drift.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real embedding function (fp32 MiniLM only, from the repository's {@code onnx-models/}) as a
 * separate process, shared by every drift test of the JVM and stopped at its end; the drift
 * function under test embeds its texts through it.
 */
public class EmbeddingFunction implements QuarkusTestResourceLifecycleManager {

  /** The model the drift function embeds with (its default). */
  public static final String MODEL = "all-minilm-l6-v2";

  private static final FunctionProcess PROCESS =
      new FunctionProcess(
          "embedding",
          Path.of("../embedding/target/quarkus-app/quarkus-run.jar"),
          List.of(
              "-Dembedding.models-dir=../../onnx-models",
              "-Dembedding.models=" + MODEL,
              "-Dquarkus.log.level=WARN"));

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(PROCESS::stop));
  }

  /** Starts it once per JVM; its base URL. */
  public static String url() {
    return PROCESS.start();
  }

  @Override
  public Map<String, String> start() {
    return Map.of("drift.embedding.url", url());
  }

  @Override
  public void stop() {
    // Kept for the JVM's other test classes; the shutdown hook stops it.
  }
}
