package dev.spillway.drift.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@code drift.*} at start-up and fails with every problem, each naming its key, rather than
 * on the first request that would trip over it.
 */
@Singleton
public class DriftStartup {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  void check(@Observes StartupEvent start, DriftConfig config) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "invalid drift configuration: " + String.join("; ", problems));
    }
    if (config.adminKeyHash().isEmpty()) {
      Log.warn("drift.admin-key-hash is not set: tenants cannot be registered");
    }
    if (config.quota().url().isEmpty()) {
      Log.info("drift.quota.url is not set: only the admin key is accepted");
    }
  }

  /** Every problem of {@code config}, each naming its key; empty when it is valid. */
  public static List<String> problems(DriftConfig config) {
    List<String> problems = new ArrayList<>();
    config
        .adminKeyHash()
        .filter(hash -> !HASH.matcher(hash).matches())
        .ifPresent(h -> problems.add("drift.admin-key-hash must be 64 lowercase hex digits"));
    if (config.dimensions() < 1 || config.dimensions() > 16_000) {
      problems.add("drift.dimensions must be between 1 and 16000 (pgvector's limit)");
    }
    if (!Files.isReadable(config.tokenizer())) {
      problems.add("drift.tokenizer: cannot read " + config.tokenizer().toAbsolutePath());
    }
    if (config.embedding().batchSize() < 1 || config.embedding().batchSize() > 2048) {
      problems.add("drift.embedding.batch-size must be between 1 and 2048");
    }
    if (config.quota().url().isPresent() && config.quota().serviceKey().isEmpty()) {
      problems.add("drift.quota.service-key is required with drift.quota.url");
    }
    DriftConfig.Defaults d = config.defaults();
    if (d.reservoirSize() < 10 || d.reservoirSize() > 10_000) {
      problems.add("drift.defaults.reservoir-size must be between 10 and 10000");
    }
    if (d.minSamples() < 2 || d.minSamples() > d.reservoirSize()) {
      problems.add(
          "drift.defaults.min-samples must be between 2 and drift.defaults.reservoir-size");
    }
    if (d.window().toSeconds() < 60 || d.window().toSeconds() > 31 * 86_400L) {
      problems.add("drift.defaults.window must be from 1 minute to 31 days");
    }
    DriftConfig.Scoring s = config.scoring();
    if (s.permutations() < 1 || s.permutations() > 100_000) {
      problems.add("drift.scoring.permutations must be between 1 and 100000");
    }
    if (!(s.alpha() > 0 && s.alpha() < 1)) {
      problems.add("drift.scoring.alpha must be between 0 and 1 (exclusive)");
    }
    if (!(s.aucThreshold() > 0.5 && s.aucThreshold() <= 1)) {
      problems.add("drift.scoring.auc-threshold must be above 0.5 and at most 1");
    }
    if (s.folds() < 2 || s.folds() > 20) {
      problems.add("drift.scoring.folds must be between 2 and 20");
    }
    if (!(s.centroidThreshold() > 0 && s.centroidThreshold() <= 2)) {
      problems.add("drift.scoring.centroid-threshold must be in (0, 2]");
    }
    if (!(s.lowSimilarity() > -1 && s.lowSimilarity() < 1)) {
      problems.add("drift.scoring.low-similarity must be in (-1, 1)");
    }
    if (!(s.unseenShareThreshold() > 0 && s.unseenShareThreshold() <= 1)) {
      problems.add("drift.scoring.unseen-share-threshold must be in (0, 1]");
    }
    if (s.maxSamples() < 10 || s.maxSamples() > 10_000) {
      problems.add("drift.scoring.max-samples must be between 10 and 10000");
    }
    if (s.emergingTerms() < 1 || s.emergingTerms() > 1000) {
      problems.add("drift.scoring.emerging-terms must be between 1 and 1000");
    }
    if (config.retention().toHours() < 1) {
      problems.add("drift.retention must be at least 1h");
    }
    if (config.limits().maxSamplesPerRequest() < 1) {
      problems.add("drift.limits.max-samples-per-request must be positive");
    }
    if (config.limits().maxTextChars() < 1) {
      problems.add("drift.limits.max-text-chars must be positive");
    }
    return problems;
  }
}
