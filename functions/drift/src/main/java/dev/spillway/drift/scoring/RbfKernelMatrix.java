package dev.spillway.drift.scoring;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The RBF kernel {@code k(x, y) = exp(-|x - y|² / (2σ²))} of a pooled sample, computed once, from
 * which the unbiased MMD² of any split of the pool into two groups follows in one pass over the
 * matrix; this is what makes a permutation test affordable.
 *
 * <p>Storage: the strict upper triangle, row by row, as floats: 4,000 pooled rows take 32 MB rather
 * than the 128 MB of a full double matrix, and the permutation pass reads all of it once per batch
 * of splits, so half the bytes is half the memory traffic. Rounding a kernel value to float changes
 * it by at most 6 × 10⁻⁸ of itself, far below the permutation noise the p-value is about. The MMD²
 * of the split the matrix was built with is summed from the double values as they are produced, so
 * the reported statistic carries double rounding only.
 *
 * <p>Statistic: for a split into a group {@code S} of size {@code a} and the rest {@code R} of size
 * {@code b}, with {@code U_SS}, {@code U_RR} the sums of the kernel over unordered pairs of
 * distinct rows within each group and {@code U_SR} the sum over pairs across them, the unbiased
 * (U-statistic, diagonal excluded) estimator is {@code MMD² = 2 U_SS / (a(a-1)) + 2 U_RR / (b(b-1))
 * - 2 U_SR / (ab)}; it is symmetric in the two groups. Only {@code U_SS} needs the matrix: with the
 * row sums {@code r_i} (over {@code j ≠ i}) and the total {@code T} over all unordered pairs,
 * {@code U_SR = Σ_{i∈S} r_i - 2 U_SS} and {@code U_RR = T - U_SS - U_SR}. So a split costs {@code
 * a²/2} reads of the matrix, and the smaller group is the one to pass.
 *
 * <p>Immutable after construction and thread-safe. Building costs {@code n²/2 · dimension}
 * multiply-adds and {@code n²/2} exponentials; memory {@code 2n²} bytes.
 */
final class RbfKernelMatrix {

  /** The most rows a matrix can hold: its upper triangle must fit one Java array. */
  static final int MAX_SIZE = 65_535;

  /**
   * Floats of the matrix per row block of the split pass: 512 KiB, so that a block stays in a
   * core's L2 cache while every split of a batch gathers from it.
   */
  private static final int BLOCK_ENTRIES = 1 << 17;

  private final int size;
  private final float[] upper;
  private final double[] rowSums;
  private final double total;
  private final double splitMmd2;

  private RbfKernelMatrix(
      int size, float[] upper, double[] rowSums, double total, double splitMmd2) {
    this.size = size;
    this.upper = upper;
    this.rowSums = rowSums;
    this.total = total;
    this.splitMmd2 = splitMmd2;
  }

  /**
   * Computes the kernel matrix of {@code pooled}.
   *
   * @param pooled rows of equal length, at least 4 of them (not checked here beyond the size)
   * @param splitAt the rows before it form the first group of the split whose MMD² {@link
   *     #splitMmd2()} reports exactly; at least 2 rows on each side
   * @param sigma2 the bandwidth {@code σ²}, positive
   * @throws IllegalArgumentException when the pool exceeds {@link #MAX_SIZE} rows
   */
  static RbfKernelMatrix of(float[][] pooled, int splitAt, double sigma2) {
    int n = pooled.length;
    if (n > MAX_SIZE) {
      throw new IllegalArgumentException(
          "at most " + MAX_SIZE + " pooled rows fit one kernel matrix, got " + n);
    }
    float[] upper = new float[(int) ((long) n * (n - 1) / 2)];
    double scale = -1.0 / (2 * sigma2);
    List<KernelSink> sinks =
        SquaredDistanceTiles.compute(pooled, () -> new KernelSink(upper, n, splitAt, scale));
    double withinFirst = 0;
    double withinSecond = 0;
    double across = 0;
    for (KernelSink sink : sinks) {
      withinFirst += sink.withinFirst;
      withinSecond += sink.withinSecond;
      across += sink.across;
    }
    double[] rowSums = new double[n];
    int offset = 0;
    for (int i = 0; i < n; i++) {
      double rowSum = 0;
      for (int j = i + 1; j < n; j++) {
        float value = upper[offset++];
        rowSum += value;
        rowSums[j] += value;
      }
      rowSums[i] += rowSum;
    }
    double total = 0;
    for (double rowSum : rowSums) {
      total += rowSum;
    }
    return new RbfKernelMatrix(
        n,
        upper,
        rowSums,
        total / 2,
        unbiasedMmd2(withinFirst, withinSecond, across, splitAt, n - splitAt));
  }

  /** The number of pooled rows. */
  int size() {
    return size;
  }

  /** The unbiased MMD² of the split given at construction, from the double kernel values. */
  double splitMmd2() {
    return splitMmd2;
  }

  /**
   * The unbiased MMD² of several splits at once, from the stored matrix, in one parallel pass.
   *
   * @param groups each the ascending indices of one group of a split, all of one size {@code a}
   *     with {@code 2 <= a <= size() - 2}; pass the smaller group, since the work grows with {@code
   *     a²}
   * @return the statistic of each split, in the order given
   */
  double[] unbiasedMmd2(int[][] groups) {
    int a = groups[0].length;
    int rowsPerBlock = Math.max(1, BLOCK_ENTRIES / size);
    int blocks = (size + rowsPerBlock - 1) / rowsPerBlock;
    // One row of partial sums per block, added up in block order so that the result does not
    // depend on which thread finished first.
    double[][] partial = new double[blocks][];
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            block -> {
              int rowStart = block * rowsPerBlock;
              partial[block] =
                  withinGroupSums(groups, rowStart, Math.min(size, rowStart + rowsPerBlock));
            });
    double[] statistics = new double[groups.length];
    for (int g = 0; g < groups.length; g++) {
      double within = 0;
      for (double[] blockSums : partial) {
        within += blockSums[g];
      }
      double rowSumTotal = 0;
      for (int i : groups[g]) {
        rowSumTotal += rowSums[i];
      }
      double across = rowSumTotal - 2 * within;
      double withinRest = total - within - across;
      statistics[g] = unbiasedMmd2(within, withinRest, across, a, size - a);
    }
    return statistics;
  }

  /**
   * For each group, the sum of the kernel over its pairs {@code i < j} whose row {@code i} lies in
   * {@code [rowStart, rowEnd)}. The rows of the block are contiguous in {@link #upper} and small
   * enough to stay in cache while every group gathers from them.
   */
  private double[] withinGroupSums(int[][] groups, int rowStart, int rowEnd) {
    double[] sums = new double[groups.length];
    for (int g = 0; g < groups.length; g++) {
      int[] group = groups[g];
      int a = group.length;
      int q = lowerBound(group, rowStart);
      double sum = 0;
      for (; q < a && group[q] < rowEnd; q++) {
        int i = group[q];
        int base = (int) (offset(i, size) - i - 1);
        // Four accumulators, so that the adds do not wait on each other.
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int t = q + 1;
        for (; t + 4 <= a; t += 4) {
          s0 += upper[base + group[t]];
          s1 += upper[base + group[t + 1]];
          s2 += upper[base + group[t + 2]];
          s3 += upper[base + group[t + 3]];
        }
        for (; t < a; t++) {
          s0 += upper[base + group[t]];
        }
        sum += (s0 + s1) + (s2 + s3);
      }
      sums[g] = sum;
    }
    return sums;
  }

  private static double unbiasedMmd2(
      double withinFirst, double withinSecond, double across, int first, int second) {
    return 2 * withinFirst / ((double) first * (first - 1))
        + 2 * withinSecond / ((double) second * (second - 1))
        - 2 * across / ((double) first * second);
  }

  /** Index in {@link #upper} of the pair {@code (i, i + 1)}. */
  private static long offset(int i, int n) {
    return (long) i * (2L * n - i - 1) / 2;
  }

  private static int lowerBound(int[] sorted, int key) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (sorted[mid] < key) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * Turns a tile of squared distances into kernel values: stores them rounded to float and sums the
   * unrounded ones per part of the split. Confined to one task's thread.
   */
  private static final class KernelSink implements SquaredDistanceTiles.RowSink {
    private final float[] upper;
    private final int n;
    private final int splitAt;
    private final double scale;
    double withinFirst;
    double withinSecond;
    double across;

    KernelSink(float[] upper, int n, int splitAt, double scale) {
      this.upper = upper;
      this.n = n;
      this.splitAt = splitAt;
      this.scale = scale;
    }

    @Override
    public void accept(int i, int columnStart, int columnEnd, double[] squaredDistances) {
      int base = (int) (offset(i, n) - i - 1);
      int start = Math.max(i + 1, columnStart);
      if (i >= splitAt) {
        withinSecond += store(base, start, columnEnd, columnStart, squaredDistances);
      } else {
        int boundary = Math.max(start, Math.min(columnEnd, splitAt));
        withinFirst += store(base, start, boundary, columnStart, squaredDistances);
        across += store(base, boundary, columnEnd, columnStart, squaredDistances);
      }
    }

    private double store(int base, int from, int to, int columnStart, double[] squaredDistances) {
      double sum = 0;
      for (int j = from; j < to; j++) {
        double k = Math.exp(squaredDistances[j - columnStart] * scale);
        upper[base + j] = (float) k;
        sum += k;
      }
      return sum;
    }
  }
}
