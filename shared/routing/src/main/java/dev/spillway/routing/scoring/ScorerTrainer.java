package dev.spillway.routing.scoring;

import dev.spillway.routing.data.Outcome;
import java.util.List;

/** Fits a {@link Scorer} to training prompts. Stateless and thread-safe. */
public interface ScorerTrainer {

  /** A short name for reports ({@code random}, {@code length}, …). */
  String name();

  /**
   * @param train the training prompts, with their outcomes
   * @param weak the weak candidate's index in each outcome
   * @param strong the strong candidate's index
   */
  Scorer fit(List<Outcome> train, int weak, int strong);
}
