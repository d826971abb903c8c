package dev.spillway.drift.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The drift function's configuration ({@code drift.*}); every key can also be set as an environment
 * variable ({@code DRIFT_DEFAULTS_WINDOW}…). Validated at start-up by {@link DriftStartup}, which
 * names the key at fault.
 */
@ConfigMapping(prefix = "drift")
public interface DriftConfig {

  /** SHA-256 (hex) of the admin key: every tenant's data and the tenant settings. Unset: none. */
  Optional<String> adminKeyHash();

  /**
   * Dimension of the stored vectors: the embedding model's ({@code 384} for MiniLM). It is baked
   * into the {@code vector(n)} columns by the first migration; vectors of another length are
   * refused with a 400.
   */
  @WithDefault("384")
  int dimensions();

  /** The tokenizer ({@code tokenizer.json}) of the embedding model, for word-piece statistics. */
  @WithDefault("onnx-models/all-minilm-l6-v2/all-minilm-l6-v2-tokenizer.json")
  Path tokenizer();

  /** How texts without vectors are embedded. */
  Embedding embedding();

  /** How tenant keys are resolved. */
  Quota quota();

  /** Settings a tenant gets unless it sets its own. */
  Defaults defaults();

  /** Scores, thresholds and verdicts. */
  Scoring scoring();

  /** Scheduled reports. */
  Schedule schedule();

  /**
   * How long sample windows are kept after they end (their reservoirs and term counts); references
   * and reports are copies and stay.
   */
  @WithDefault("90d")
  Duration retention();

  /** Request limits. */
  Limits limits();

  /**
   * Where {@code dev.spillway.drift.detected} CloudEvents are POSTed; Knative's SinkBinding injects
   * {@code K_SINK}. Empty: alerts are only logged and kept in the reports.
   */
  Optional<URI> eventsSink();

  /** The embedding function. */
  interface Embedding {
    /** Base URL of the embedding function ({@code POST /v1/embeddings}). */
    @WithDefault("http://127.0.0.1:8082")
    URI url();

    /**
     * The model to embed with; its dimension must equal {@code drift.dimensions}. The fp32 model by
     * default: its vectors do not depend on which other texts share their batch (the int8 model's
     * move by about 0.02 in cosine), and a drift test compares distributions, where such noise is
     * what it must not mistake for a shift. A reference and its windows must use the same model.
     */
    @WithDefault("all-minilm-l6-v2")
    String model();

    /** Most texts per embedding call. */
    @WithDefault("64")
    int batchSize();

    /** Timeout of one embedding call. */
    @WithDefault("30s")
    Duration timeout();
  }

  /** The quota function, which owns tenant keys. */
  interface Quota {
    /** Base URL of the quota function ({@code POST /keys/lookup}). Unset: only the admin key. */
    Optional<URI> url();

    /** The quota function's service key, for key look-ups. */
    Optional<String> serviceKey();

    /** How long a key look-up is cached (a revoked key keeps working at most this long). */
    @WithDefault("60s")
    Duration keyCacheTtl();
  }

  /** A tenant's settings until it changes them. */
  interface Defaults {
    /** Length of a sample window. */
    @WithDefault("1h")
    Duration window();

    /** Most samples kept per window (reservoir sampling keeps a uniform sample of all offered). */
    @WithDefault("2000")
    int reservoirSize();

    /** Fewest samples on each side for a verdict; below it a report says insufficient data. */
    @WithDefault("100")
    int minSamples();

    /** Whether raw query texts are stored (otherwise only vectors and term statistics). */
    @WithDefault("false")
    boolean keepText();
  }

  /** Scores and their thresholds. */
  interface Scoring {
    /** Permutations of the MMD test; its p-value's resolution is {@code 1 / (1 + permutations)}. */
    @WithDefault("200")
    int permutations();

    /** Significance level of the MMD permutation test: p below it is drift. */
    @WithDefault("0.05")
    double alpha();

    /** Domain-classifier AUC at or above which the windows are told apart (0.5: chance). */
    @WithDefault("0.6")
    double aucThreshold();

    /** Folds of the classifier's cross-validation. */
    @WithDefault("5")
    int folds();

    /** Centroid cosine distance at or above which the centroid moved. */
    @WithDefault("0.02")
    double centroidThreshold();

    /** A query whose top-1 corpus similarity is below this is poorly covered by the corpus. */
    @WithDefault("0.5")
    double lowSimilarity();

    /** Share of term occurrences unseen in the reference at or above which vocabulary drifted. */
    @WithDefault("0.1")
    double unseenShareThreshold();

    /**
     * Most samples of each side a report scores: larger windows or references are scored on a
     * uniform, seeded subsample of this many (the MMD kernel matrix holds a float per pair of the
     * pooled samples, about 50 MB at 2 x 2,500).
     */
    @WithDefault("2500")
    int maxSamples();

    /** Emerging terms listed in a report. */
    @WithDefault("20")
    int emergingTerms();

    /** Seed of the permutations and folds (reports are reproducible). */
    @WithDefault("20261127")
    long seed();
  }

  /** Scheduled reports. */
  interface Schedule {
    /**
     * How often every feature with a reference gets a report on its last completed window (a
     * Quarkus {@code every} expression, {@code off} to disable).
     */
    @WithDefault("15m")
    String every();
  }

  /** Request limits. */
  interface Limits {
    /** Largest request body. */
    @WithDefault("16777216")
    long maxBodyBytes();

    /** Most samples (or documents) in one request. */
    @WithDefault("10000")
    int maxSamplesPerRequest();

    /** Longest text of one sample, in characters. */
    @WithDefault("8192")
    int maxTextChars();
  }
}
