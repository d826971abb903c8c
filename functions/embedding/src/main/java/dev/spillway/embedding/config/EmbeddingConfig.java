package dev.spillway.embedding.config;

import dev.spillway.embedding.onnx.Device;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the embedding function is told at start-up, under the {@code embedding.} prefix.
 * Checked once by {@link EmbeddingConfigValidator}; a wrong value stops the start with the key's
 * name. Each key can be set as an environment variable ({@code EMBEDDING_DEVICE}, {@code
 * EMBEDDING_BATCHING_MAX_WAIT}…).
 */
@ConfigMapping(prefix = "embedding")
public interface EmbeddingConfig {

  /**
   * The models folder: {@code models.json} (the registry), one sub-folder per model with its files
   * and {@code sha256.properties}, and classification heads. The repository's {@code onnx-models/}.
   */
  Path modelsDir();

  /** Which registry models to load (all when unset); a client may only ask for these. */
  Optional<List<String>> models();

  /**
   * Where the sessions run: {@code auto} (CUDA when the CUDA build of ONNX Runtime and a GPU are
   * present, else CPU, logged once), {@code cpu} or {@code cuda} (start-up fails without CUDA).
   */
  @WithDefault("auto")
  Device device();

  /** Whether each model file is checked against its committed SHA-256 at start-up (~0.3 s). */
  @WithDefault("true")
  boolean verifyChecksums();

  /** ONNX Runtime session options, the same for every model. */
  Onnx onnx();

  /** Dynamic batching, one batcher per model. */
  Batching batching();

  /** Request limits. */
  Limits limits();

  /** ONNX Runtime session options (see the README for why each default). */
  interface Onnx {
    /**
     * Threads one operator may use. 0 lets ONNX Runtime use one per physical core, which is right
     * when the function owns the machine; set it to the cores the container is given otherwise.
     */
    @WithDefault("0")
    int intraOpThreads();

    /** Threads running independent operators at once; used only with {@code parallel}. */
    @WithDefault("1")
    int interOpThreads();

    /**
     * {@code sequential} or {@code parallel} execution of the graph. An encoder is one chain of
     * operators, so parallel only adds a thread pool.
     */
    @WithDefault("sequential")
    String executionMode();

    /**
     * Whether idle intra-op threads spin. Off: spinning wins a little latency between operators but
     * burns the cores that the HTTP threads and the tokenizer need between batches.
     */
    @WithDefault("false")
    boolean spinning();

    /**
     * Whether the CPU allocator keeps an arena of freed blocks. On: batches are bounded by {@code
     * embedding.batching.max-batch-tokens}, so the arena stops growing at the largest batch.
     */
    @WithDefault("true")
    boolean memoryArena();

    /**
     * Whether ONNX Runtime pre-plans memory per input shape. Off: every batch has a new shape, so
     * the plans are never reused and only cost memory.
     */
    @WithDefault("false")
    boolean memoryPattern();

    /** Whether every graph optimisation (fusions, layout) is applied; else the basic ones. */
    @WithDefault("true")
    boolean optimizeAll();
  }

  /** Dynamic batching. */
  interface Batching {
    /**
     * The most padded tokens ({@code inputs * longest}) in one model run. Bounds the activation
     * memory of a run; on 2 cores 1,024 gave the best throughput (1,024: 12,175 tokens/s int8,
     * 2,048: 11,516, 4,096: 8,580 in one run): small runs keep the activations in cache.
     */
    @WithDefault("1024")
    int maxBatchTokens();

    /** The most inputs in one model run. */
    @WithDefault("128")
    int maxBatchSize();

    /**
     * How long a batcher serving concurrent callers (its last batch held several requests) holds a
     * batch open for more inputs. Otherwise it runs what is queued at once, so this adds latency
     * only under concurrent load, where it buys bigger batches.
     */
    @WithDefault("2ms")
    Duration maxWait();

    /**
     * The most tokens waiting per model. A request that would exceed it gets 503 at once with a
     * Retry-After computed from the observed throughput; an empty queue admits any request.
     */
    @WithDefault("65536")
    long maxQueuedTokens();
  }

  /** Request limits. */
  interface Limits {
    /** The most inputs in one request's {@code input} array (OpenAI's limit). */
    @WithDefault("2048")
    int maxInputs();

    /** The largest request body, in bytes; larger bodies get 413. */
    @WithDefault("4194304")
    int maxBodyBytes();
  }
}
