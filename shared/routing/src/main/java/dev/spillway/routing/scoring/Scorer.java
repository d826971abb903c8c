package dev.spillway.routing.scoring;

import dev.spillway.routing.data.Outcome;

/**
 * A fitted router score: how much a prompt needs the strong candidate (higher: more). Only the
 * order of scores matters to the metrics; thresholds turn them into decisions. Implementations are
 * immutable and thread-safe.
 */
@FunctionalInterface
public interface Scorer {

  /** The score of a prompt; reads only its text and category, never its outcomes. */
  double score(Outcome prompt);
}
