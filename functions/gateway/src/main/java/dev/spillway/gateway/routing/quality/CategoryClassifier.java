package dev.spillway.gateway.routing.quality;

import java.util.concurrent.CompletionStage;

/**
 * Labels a prompt with its task category (the embedding function's {@code /v1/classify}).
 * Implementations are thread-safe and never block; a failure completes the stage exceptionally.
 */
@FunctionalInterface
public interface CategoryClassifier {

  CompletionStage<String> classify(String text);
}
