package dev.spillway.embedding.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.spillway.embedding.model.ModelSpec;
import io.quarkus.logging.Log;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A sentence-embedding model of the registry: its tokenizer and one warm ONNX Runtime session,
 * created once and closed with the model. {@link #tokenize} is thread-safe; {@link #embed} is
 * thread-safe too, but the function calls it from one batching thread per model.
 */
public final class EmbeddingModel implements AutoCloseable {

  /** The CPU fallback of {@code device=auto} is said once, not once per model. */
  private static final AtomicBoolean CPU_FALLBACK_LOGGED = new AtomicBoolean();

  private final ModelSpec spec;
  private final TextTokenizer tokenizer;
  private final OnnxEncoder encoder;
  private final String device;

  private EmbeddingModel(
      ModelSpec spec, TextTokenizer tokenizer, OnnxEncoder encoder, String device) {
    this.spec = spec;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.device = device;
  }

  /**
   * Loads the tokenizer, opens the session on the chosen device and runs one warm-up batch.
   *
   * @param settings the session options; null for ONNX Runtime's defaults (the benchmark's naive
   *     baseline)
   * @throws IllegalStateException when {@code device} is CUDA and CUDA is not available
   */
  public static EmbeddingModel load(ModelSpec spec, SessionSettings settings, Device device) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    TextTokenizer tokenizer = TextTokenizer.load(spec.tokenizerPath(), spec.maxTokens());
    try (OrtSession.SessionOptions options =
        settings == null ? new OrtSession.SessionOptions() : settings.toOptions()) {
      String used = chooseProvider(options, device, spec.id());
      OrtSession session = environment.createSession(spec.onnxPath().toString(), options);
      EmbeddingModel model =
          new EmbeddingModel(spec, tokenizer, new OnnxEncoder(environment, session), used);
      model.embed(List.of(model.tokenize("warm-up")));
      return model;
    } catch (OrtException e) {
      tokenizer.close();
      throw new IllegalStateException(
          "cannot open ONNX model '" + spec.id() + "' (" + spec.onnxPath() + "): " + e.getMessage(),
          e);
    }
  }

  private static String chooseProvider(
      OrtSession.SessionOptions options, Device device, String modelId) throws OrtException {
    if (device == Device.CPU) {
      return "cpu";
    }
    boolean available = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    if (!available) {
      if (device == Device.CUDA) {
        throw new IllegalStateException(
            "embedding.device=cuda but this ONNX Runtime has no CUDA provider (build with -Pcuda"
                + " and install CUDA 12 + cuDNN 9)");
      }
      if (CPU_FALLBACK_LOGGED.compareAndSet(false, true)) {
        Log.infof(
            "embedding.device=auto: this ONNX Runtime offers no CUDA provider (the CPU build, or"
                + " no GPU), so every model runs on the CPU");
      }
      return "cpu";
    }
    try {
      options.addCUDA(0);
      Log.infof("model %s: using CUDA (device 0)", modelId);
      return "cuda";
    } catch (OrtException e) {
      if (device == Device.CUDA) {
        throw e;
      }
      Log.infof(
          "model %s: embedding.device=auto and CUDA failed to initialise (%s), using CPU",
          modelId, e.getMessage());
      return "cpu";
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  /** The execution provider in use: {@code cpu} or {@code cuda}. */
  public String device() {
    return device;
  }

  /** Tokenises one text with the model's tokenizer, truncated to its maximum. */
  public TokenizedText tokenize(String text) {
    return tokenizer.encode(text);
  }

  /** Embeds a batch of tokenised texts; one vector per text, in order. */
  public float[][] embed(List<TokenizedText> batch) {
    try {
      return encoder.encode(batch, spec.pooling(), spec.normalize());
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on model '" + spec.id() + "'", e);
    }
  }

  @Override
  public void close() {
    try {
      encoder.close();
    } catch (OrtException e) {
      Log.warnf("closing model %s: %s", spec.id(), e.getMessage());
    } finally {
      tokenizer.close();
    }
  }
}
