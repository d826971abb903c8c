/**
 * The statistics behind a drift report, as pure functions of two samples: a reference sample (the
 * queries a model was tuned or evaluated on) and a current sample (recent traffic), each a matrix
 * of sentence embeddings with one row per query.
 *
 * <ul>
 *   <li>{@link dev.spillway.drift.scoring.MmdPermutationTest}: is the current sample drawn from the
 *       reference distribution? Kernel two-sample test with a permutation p-value.
 *   <li>{@link dev.spillway.drift.scoring.DomainClassifierAuc}: how well can a linear classifier
 *       tell the two apart? Out-of-fold ROC AUC, 0.5 meaning not at all.
 *   <li>{@link dev.spillway.drift.scoring.CentroidDistance}: how far the average query moved.
 *   <li>{@link dev.spillway.drift.scoring.KolmogorovSmirnov}: two-sample test on a scalar, such as
 *       the top-1 retrieval similarity of each query.
 *   <li>{@link dev.spillway.drift.scoring.RocAuc}: the Mann–Whitney AUC of scores and labels.
 * </ul>
 *
 * <p>Plain Java, no framework and no dependency beyond the JDK, so that every number in a report
 * can be reproduced in a unit test. Randomised procedures take a seed and are deterministic given
 * it, whatever the number of cores. Every class here is stateless and thread-safe; the heavy ones
 * use the common fork-join pool for their inner loops.
 */
package dev.spillway.drift.scoring;
