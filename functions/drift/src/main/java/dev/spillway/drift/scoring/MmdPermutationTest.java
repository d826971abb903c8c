package dev.spillway.drift.scoring;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Kernel two-sample test: does the current sample come from the distribution of the reference
 * sample? The statistic is the squared Maximum Mean Discrepancy (Gretton et al., 2012) with a
 * Gaussian (RBF) kernel {@code k(x, y) = exp(-|x - y|² / (2σ²))}, in its unbiased form; its p-value
 * comes from a permutation test, which needs no distributional assumption and is exact for any
 * sample size.
 *
 * <p><b>Bandwidth</b>, by the median heuristic: {@code σ² = median(|x_i - x_j|²) / 2} over the
 * pairs of the pooled sample, so that a typical pair has {@code k ≈ e^{-1}} and the kernel neither
 * saturates at 1 nor vanishes. The median is taken over the pairs of at most {@value
 * #MEDIAN_SAMPLE} pooled rows drawn at random: about half a million pairs, whose median is within a
 * fraction of a percent of the full one, at a cost that does not grow with the sample. When more
 * than half of the pairs coincide the median is 0; the mean of the non-zero distances is used
 * instead, and {@code σ² = 1} when every row is the same (then every kernel value is 1 whatever σ).
 *
 * <p><b>Statistic</b>: {@code MMD² = mean_{i≠i'} k(x_i, x_i') + mean_{j≠j'} k(y_j, y_j') - 2
 * mean_{i,j} k(x_i, y_j)}, unbiased because the diagonals are left out: its expectation is 0 when
 * the two distributions are equal, so small negative values are normal.
 *
 * <p><b>p-value</b>: the pooled rows are split at random into groups of the two sample sizes {@code
 * permutations} times, and {@code p = (1 + #{permuted MMD² ≥ observed}) / (1 + permutations)}: the
 * observed split counts as one of the permutations, which keeps the test valid (never below its
 * level under the null) and p never 0. The smallest p-value reachable is {@code 1 / (1 +
 * permutations)}.
 *
 * <p><b>Cost</b>: the pooled kernel matrix is computed once ({@code N²/2 · dimension} multiply-adds
 * for {@code N = n + m} pooled rows; {@code 2N²} bytes of memory, 32 MB for 2,000 + 2,000), and
 * each permutation then costs {@code min(n, m)²/2} reads of it, see {@link RbfKernelMatrix}. Both
 * phases run on the common fork-join pool. For 2,000 × 2,000 384-dimensional rows and 200
 * permutations this took 0.4–0.9 s on two shared cores, 0.8–1.7 s of CPU time, the first call (with
 * JIT compilation) the slowest; see {@code docs/benchmarks/drift.md}.
 *
 * <p>Deterministic given the seed, whatever the number of cores. Stateless and thread-safe.
 */
public final class MmdPermutationTest {

  /** Pooled rows whose pairs the median heuristic looks at, at most. */
  static final int MEDIAN_SAMPLE = 1_000;

  /** Permuted splits evaluated per pass over the kernel matrix. */
  private static final int SPLITS_PER_PASS = 256;

  /**
   * The outcome of one test.
   *
   * @param mmd2 the unbiased squared MMD of reference against current; about 0 (possibly slightly
   *     negative) when they come from one distribution, larger the further apart they are
   * @param pValue the permutation p-value, in {@code [1 / (1 + permutations), 1]}
   * @param bandwidthSigma2 the kernel's {@code σ²} from the median heuristic
   * @param permutations the number of random splits the p-value rests on
   */
  public record Result(double mmd2, double pValue, double bandwidthSigma2, int permutations) {}

  private MmdPermutationTest() {}

  /**
   * Tests whether {@code current} is drawn from the distribution of {@code reference}.
   *
   * @param reference the reference embeddings, one row per sample, at least 2 rows
   * @param current the current embeddings, at least 2 rows, of the reference's dimension
   * @param permutations the number of random splits for the p-value, at least 1 (200 resolve p down
   *     to 0.005)
   * @param seed seeds the bandwidth subsample and the permutations
   * @return the statistic, its p-value and the bandwidth used
   * @throws IllegalArgumentException when a sample is missing, has fewer than 2 rows, holds rows of
   *     different dimensions or a non-finite value, when the two dimensions differ, when {@code
   *     permutations < 1}, or when the pool exceeds {@value RbfKernelMatrix#MAX_SIZE} rows
   */
  public static Result test(float[][] reference, float[][] current, int permutations, long seed) {
    SampleChecks.requireComparable(reference, current, 2);
    if (permutations < 1) {
      throw new IllegalArgumentException("permutations must be at least 1, got " + permutations);
    }
    float[][] pooled = SampleChecks.pool(reference, current);
    SplittableRandom random = new SplittableRandom(seed);
    double sigma2 = medianHeuristicSigma2(pooled, random.split());
    RbfKernelMatrix kernel = RbfKernelMatrix.of(pooled, reference.length, sigma2);
    double[] permuted = permutedStatistics(kernel, reference.length, permutations, random.split());
    return new Result(
        kernel.splitMmd2(),
        pValue(permuted[0], Arrays.copyOfRange(permuted, 1, permuted.length)),
        sigma2,
        permutations);
  }

  /**
   * The permutation p-value {@code (1 + #{permuted ≥ observed}) / (1 + permuted.length)}.
   *
   * @param observed the statistic of the observed split
   * @param permuted the statistics of the random splits
   */
  static double pValue(double observed, double[] permuted) {
    int atLeast = 0;
    for (double statistic : permuted) {
      if (statistic >= observed) {
        atLeast++;
      }
    }
    return (1.0 + atLeast) / (1.0 + permuted.length);
  }

  /**
   * The median heuristic's {@code σ²} (see the class comment), over the pairs of all rows when
   * there are at most {@link #MEDIAN_SAMPLE}, else of that many drawn without replacement.
   */
  static double medianHeuristicSigma2(float[][] pooled, SplittableRandom random) {
    float[][] sample = pooled;
    if (pooled.length > MEDIAN_SAMPLE) {
      int[] order = identity(pooled.length);
      partialShuffle(order, MEDIAN_SAMPLE, random);
      sample = new float[MEDIAN_SAMPLE][];
      for (int s = 0; s < MEDIAN_SAMPLE; s++) {
        sample[s] = pooled[order[s]];
      }
    }
    int n = sample.length;
    double[] distances = new double[n * (n - 1) / 2];
    SquaredDistanceTiles.compute(
        sample,
        () ->
            (i, columnStart, columnEnd, squaredDistances) -> {
              // Pair (i, j > i) goes to the same slot as in RbfKernelMatrix: disjoint per task.
              int base = i * (2 * n - i - 1) / 2 - i - 1;
              for (int j = Math.max(i + 1, columnStart); j < columnEnd; j++) {
                distances[base + j] = squaredDistances[j - columnStart];
              }
            });
    double median = median(distances);
    if (median > 0) {
      return median / 2;
    }
    double positiveSum = 0;
    int positive = 0;
    for (double distance : distances) {
      if (distance > 0) {
        positiveSum += distance;
        positive++;
      }
    }
    return positive == 0 ? 1.0 : positiveSum / positive / 2;
  }

  /**
   * The median of {@code values} (the mean of the two middle ones for an even count), by
   * quickselect: linear time on average where a sort of the half million pair distances would cost
   * several times more. Reorders {@code values}.
   */
  static double median(double[] values) {
    int middle = values.length / 2;
    double upper = select(values, middle);
    if (values.length % 2 == 1) {
      return upper;
    }
    // select leaves the entries below the middle at most as large: the largest of them is next.
    double lower = values[0];
    for (int t = 1; t < middle; t++) {
      lower = Math.max(lower, values[t]);
    }
    return (lower + upper) / 2;
  }

  /**
   * Moves the {@code k}-th smallest entry to index {@code k}, smaller-or-equal entries before it
   * and larger-or-equal after (Hoare partition around the middle entry of the range; the pair
   * distances come in no adversarial order).
   */
  private static double select(double[] values, int k) {
    int low = 0;
    int high = values.length - 1;
    while (low < high) {
      double pivot = values[(low + high) >>> 1];
      int i = low;
      int j = high;
      while (i <= j) {
        while (values[i] < pivot) {
          i++;
        }
        while (values[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double swap = values[i];
          values[i] = values[j];
          values[j] = swap;
          i++;
          j--;
        }
      }
      if (k <= j) {
        high = j;
      } else if (k >= i) {
        low = i;
      } else {
        break;
      }
    }
    return values[k];
  }

  /**
   * The MMD² of the observed split (first) and of {@code permutations} random splits of the pooled
   * rows into groups of the two sample sizes, all from the stored (float) matrix so that they
   * compare like with like. Each split is represented by its smaller group, drawn as the first
   * entries of a partial Fisher–Yates shuffle, in sequence from one generator, so the splits do not
   * depend on threads.
   */
  private static double[] permutedStatistics(
      RbfKernelMatrix kernel, int referenceCount, int permutations, SplittableRandom random) {
    int n = kernel.size();
    int currentCount = n - referenceCount;
    boolean referenceIsSmaller = referenceCount <= currentCount;
    int groupSize = Math.min(referenceCount, currentCount);
    int[] order = identity(n);
    double[] statistics = new double[permutations + 1];
    int done = 0;
    while (done < permutations + 1) {
      int count = Math.min(SPLITS_PER_PASS, permutations + 1 - done);
      int[][] groups = new int[count][];
      for (int g = 0; g < count; g++) {
        if (done + g == 0) {
          int first = referenceIsSmaller ? 0 : referenceCount;
          groups[g] = Arrays.copyOfRange(identity(n), first, first + groupSize);
        } else {
          // Shuffling an already shuffled order still gives a uniformly random subset.
          partialShuffle(order, groupSize, random);
          groups[g] = Arrays.copyOf(order, groupSize);
          Arrays.sort(groups[g]);
        }
      }
      double[] batch = kernel.unbiasedMmd2(groups);
      System.arraycopy(batch, 0, statistics, done, count);
      done += count;
    }
    return statistics;
  }

  /** Puts a uniformly random {@code count}-subset of {@code order}'s entries first. */
  private static void partialShuffle(int[] order, int count, SplittableRandom random) {
    for (int t = 0; t < count; t++) {
      int pick = t + random.nextInt(order.length - t);
      int swap = order[t];
      order[t] = order[pick];
      order[pick] = swap;
    }
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
