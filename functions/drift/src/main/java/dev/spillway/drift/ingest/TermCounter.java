package dev.spillway.drift.ingest;

import dev.spillway.drift.config.DriftConfig;
import dev.spillway.drift.vocabulary.TermStatistics;
import dev.spillway.drift.vocabulary.WordPieceTokenizer;
import jakarta.inject.Singleton;
import java.util.Collection;

/**
 * Counts the terms and word pieces of texts with the embedding model's own WordPiece vocabulary
 * ({@code drift.tokenizer}), loaded once. Thread-safe.
 */
@Singleton
public class TermCounter {

  private final WordPieceTokenizer tokenizer;

  public TermCounter(DriftConfig config) {
    this.tokenizer = WordPieceTokenizer.load(config.tokenizer());
  }

  /** The statistics of {@code texts} (empty for none). */
  public TermStatistics count(Collection<String> texts) {
    return texts.isEmpty() ? TermStatistics.empty() : TermStatistics.of(tokenizer, texts);
  }
}
