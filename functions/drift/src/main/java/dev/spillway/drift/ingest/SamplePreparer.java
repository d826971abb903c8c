package dev.spillway.drift.ingest;

import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.api.SampleInput;
import dev.spillway.drift.config.DriftConfig;
import dev.spillway.drift.store.StoredSample;
import dev.spillway.drift.vocabulary.TermStatistics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns samples (or corpus documents) as clients send them into what is stored: validates them,
 * embeds the texts that came without a vector, counts their terms, and drops the texts unless the
 * tenant keeps them. Shared by samples, references and corpus uploads, so that all three accept the
 * same input and fail the same way. Thread-safe.
 */
@Singleton
public class SamplePreparer {

  /**
   * Samples ready to store.
   *
   * @param samples vectors (and texts, when kept), in input order
   * @param terms the term statistics of the texts among them
   * @param embedded how many vectors the embedding function made
   */
  public record Prepared(List<StoredSample> samples, TermStatistics terms, int embedded) {}

  private final int dimensions;
  private final int maxSamples;
  private final int maxTextChars;
  private final EmbeddingClient embeddings;
  private final TermCounter terms;

  public SamplePreparer(DriftConfig config, EmbeddingClient embeddings, TermCounter terms) {
    this.dimensions = config.dimensions();
    this.maxSamples = config.limits().maxSamplesPerRequest();
    this.maxTextChars = config.limits().maxTextChars();
    this.embeddings = embeddings;
    this.terms = terms;
  }

  /**
   * Prepares {@code inputs}, which {@link #validate} accepted (callers validate first, before any
   * look-up, so that bad input fails fast and is checked once).
   */
  public Uni<Prepared> prepare(List<SampleInput> inputs, boolean keepText) {
    List<String> toEmbed = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (SampleInput input : inputs) {
      if (input.text() != null) {
        texts.add(input.text());
        if (input.vector() == null) {
          toEmbed.add(input.text());
        }
      }
    }
    return embeddings
        .embed(toEmbed)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            vectors -> {
              List<StoredSample> samples = new ArrayList<>(inputs.size());
              int next = 0;
              for (SampleInput input : inputs) {
                float[] vector = input.vector() != null ? input.vector() : vectors.get(next++);
                samples.add(StoredSample.of(vector, keepText ? input.text() : null));
              }
              return new Prepared(samples, terms.count(texts), toEmbed.size());
            });
  }

  /** Checks count, presence, dimension, finiteness and length; throws a 400 naming the item. */
  public void validate(String field, List<SampleInput> inputs) {
    if (inputs == null || inputs.isEmpty()) {
      throw DriftException.invalid("'" + field + "' must hold at least one item.");
    }
    if (inputs.size() > maxSamples) {
      throw DriftException.invalid(
          "'"
              + field
              + "' holds "
              + inputs.size()
              + " items; at most "
              + maxSamples
              + " per request (drift.limits.max-samples-per-request).");
    }
    for (int i = 0; i < inputs.size(); i++) {
      SampleInput input = inputs.get(i);
      String at = field + "[" + i + "]";
      if (input == null || (input.text() == null && input.vector() == null)) {
        throw DriftException.invalid("'" + at + "' needs a 'text', a 'vector' or both.");
      }
      if (input.text() != null) {
        if (input.text().isBlank()) {
          throw DriftException.invalid("'" + at + ".text' is blank.");
        }
        if (input.text().indexOf('\u0000') >= 0) {
          throw DriftException.invalid(
              "'" + at + ".text' holds a NUL character (U+0000), which no text column can store.");
        }
        if (input.text().length() > maxTextChars) {
          throw DriftException.invalid(
              "'"
                  + at
                  + ".text' has "
                  + input.text().length()
                  + " characters; at most "
                  + maxTextChars
                  + ".");
        }
      }
      float[] vector = input.vector();
      if (vector != null) {
        if (vector.length != dimensions) {
          throw DriftException.invalid(
              "'"
                  + at
                  + ".vector' has "
                  + vector.length
                  + " dimensions; this drift function stores "
                  + dimensions
                  + " (the embedding model's).");
        }
        double norm = 0;
        for (float v : vector) {
          if (!Float.isFinite(v)) {
            throw DriftException.invalid("'" + at + ".vector' holds a value that is not finite.");
          }
          norm += v * v;
        }
        if (norm == 0) {
          throw DriftException.invalid("'" + at + ".vector' is all zeros (it has no direction).");
        }
      }
    }
  }
}
