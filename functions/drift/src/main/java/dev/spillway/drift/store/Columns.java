package dev.spillway.drift.store;

import dev.spillway.drift.vocabulary.TermStatistics;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Collection;
import java.util.Map;

/** Rows as the array parameters of an {@code unnest} insert: one statement for a whole batch. */
final class Columns {

  private Columns() {}

  /** Appends the samples' vectors (pgvector text) and texts, in iteration order. */
  static Tuple addSamples(Tuple tuple, Collection<StoredSample> samples) {
    String[] vectors = new String[samples.size()];
    String[] texts = new String[samples.size()];
    int i = 0;
    for (StoredSample sample : samples) {
      vectors[i] = sample.pgVector();
      texts[i] = sample.text();
      i++;
    }
    return tuple.addArrayOfString(vectors).addArrayOfString(texts);
  }

  /** Appends the terms and their counts. */
  static Tuple addTerms(Tuple tuple, TermStatistics terms) {
    String[] names = new String[terms.termCounts().size()];
    Long[] counts = new Long[names.length];
    int i = 0;
    for (Map.Entry<String, Long> entry : terms.termCounts().entrySet()) {
      names[i] = entry.getKey();
      counts[i] = entry.getValue();
      i++;
    }
    return tuple.addArrayOfString(names).addArrayOfLong(counts);
  }
}
