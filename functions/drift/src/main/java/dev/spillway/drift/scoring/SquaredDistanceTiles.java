package dev.spillway.drift.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Squared Euclidean distances between all pairs of rows {@code i < j} of a matrix, in double
 * precision, computed as {@code |x_i|² + |x_j|² - 2 x_i·x_j} from a blocked matrix product and
 * handed to a sink row by row.
 *
 * <p>Why blocked, and why this loop order: the dot products are most of the drift report's work
 * (4,000 pooled 384-dimensional rows make 8 million pairs and 3 billion multiply-adds). The inner
 * loop is {@code c[j] += a * b[j]} over a tile of {@value #TILE} columns, with the tile's columns
 * packed once into a column-major block, because the JIT of Java 17 vectorises that form (it does
 * not vectorise the reduction of a plain dot product, nor an {@code axpy} whose two arrays might
 * alias at an offset); four rows share each load of the block, and the packed block (dimension ×
 * {@value #TILE} doubles, 384 KiB for 384 dimensions) stays in the core's L2 cache while up to
 * {@value #ROWS_PER_TASK} rows stream past it. Products of floats are exact in double and the sums
 * are kept in double, so the distances carry no float rounding.
 *
 * <p>Work is split into tasks of one column tile × up to {@value #ROWS_PER_TASK} rows, all of
 * similar size, and run on the common fork-join pool. Every distance is computed by one task in a
 * fixed order, so the values do not depend on the number of threads.
 *
 * <p>Complexity: {@code n²/2 · dimension} multiply-adds, {@code O(dimension · TILE)} memory per
 * running task. Stateless and thread-safe; see {@link RowSink} for what a sink may assume.
 */
final class SquaredDistanceTiles {

  /** Columns per tile. */
  static final int TILE = 128;

  /** Rows per task: big enough to amortise packing a tile, small enough to balance two cores. */
  static final int ROWS_PER_TASK = 512;

  /**
   * Receives the squared distances of one row to the columns of one tile. One sink instance serves
   * exactly one task, so it is only ever called from one thread, rows in ascending order; a sink
   * that writes into shared storage must write only the entries of its own pairs.
   */
  interface RowSink {

    /**
     * @param row the row index {@code i}
     * @param columnStart the first column of the tile
     * @param columnEnd one past its last column
     * @param squaredDistances {@code squaredDistances[j - columnStart]} is the squared distance
     *     between rows {@code i} and {@code j}; only the entries with {@code j > i} are meaningful,
     *     and the array is reused after the call returns
     */
    void accept(int row, int columnStart, int columnEnd, double[] squaredDistances);
  }

  private SquaredDistanceTiles() {}

  /**
   * Computes every distance between rows {@code i < j} of {@code x} once.
   *
   * @param x rows of equal length (not checked here)
   * @param sinks creates one sink per task; called on the caller's thread before any work starts
   * @return the sinks, in a fixed task order (independent of scheduling), so that per-sink sums can
   *     be combined deterministically
   */
  static <S extends RowSink> List<S> compute(float[][] x, Supplier<S> sinks) {
    int n = x.length;
    double[] squaredNorms = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (float v : x[i]) {
        sum += (double) v * v;
      }
      squaredNorms[i] = sum;
    }
    List<int[]> tasks = new ArrayList<>();
    for (int columnStart = 0; columnStart < n; columnStart += TILE) {
      int columnEnd = Math.min(n, columnStart + TILE);
      // Rows below the tile's last column are the only ones with a pair j > i in it.
      for (int rowStart = 0; rowStart < columnEnd - 1; rowStart += ROWS_PER_TASK) {
        tasks.add(
            new int[] {
              rowStart, Math.min(columnEnd - 1, rowStart + ROWS_PER_TASK), columnStart, columnEnd
            });
      }
    }
    List<S> taskSinks = new ArrayList<>(tasks.size());
    for (int t = 0; t < tasks.size(); t++) {
      taskSinks.add(sinks.get());
    }
    IntStream.range(0, tasks.size())
        .parallel()
        .forEach(t -> runTask(x, squaredNorms, tasks.get(t), taskSinks.get(t)));
    return taskSinks;
  }

  private static void runTask(float[][] x, double[] squaredNorms, int[] task, RowSink sink) {
    int rowStart = task[0];
    int rowEnd = task[1];
    int columnStart = task[2];
    int columnEnd = task[3];
    int width = columnEnd - columnStart;
    int dimension = x[0].length;
    // Column-major copy of the tile: packed[k][j] = x[columnStart + j][k].
    double[][] packed = new double[dimension][TILE];
    for (int j = 0; j < width; j++) {
      float[] column = x[columnStart + j];
      for (int k = 0; k < dimension; k++) {
        packed[k][j] = column[k];
      }
    }
    double[] c0 = new double[TILE];
    double[] c1 = new double[TILE];
    double[] c2 = new double[TILE];
    double[] c3 = new double[TILE];
    int i = rowStart;
    for (; i + 4 <= rowEnd; i += 4) {
      float[] x0 = x[i];
      float[] x1 = x[i + 1];
      float[] x2 = x[i + 2];
      float[] x3 = x[i + 3];
      for (int k = 0; k < dimension; k++) {
        double a0 = x0[k];
        double a1 = x1[k];
        double a2 = x2[k];
        double a3 = x3[k];
        double[] b = packed[k];
        for (int j = 0; j < width; j++) {
          double v = b[j];
          c0[j] += a0 * v;
          c1[j] += a1 * v;
          c2[j] += a2 * v;
          c3[j] += a3 * v;
        }
      }
      emit(sink, i, c0, squaredNorms, columnStart, width);
      emit(sink, i + 1, c1, squaredNorms, columnStart, width);
      emit(sink, i + 2, c2, squaredNorms, columnStart, width);
      emit(sink, i + 3, c3, squaredNorms, columnStart, width);
    }
    for (; i < rowEnd; i++) {
      float[] xi = x[i];
      for (int k = 0; k < dimension; k++) {
        double a = xi[k];
        double[] b = packed[k];
        for (int j = 0; j < width; j++) {
          c0[j] += a * b[j];
        }
      }
      emit(sink, i, c0, squaredNorms, columnStart, width);
    }
  }

  /** Turns the dot products of row {@code i} into squared distances, hands them on, clears them. */
  private static void emit(
      RowSink sink, int i, double[] dots, double[] squaredNorms, int columnStart, int width) {
    double normI = squaredNorms[i];
    for (int j = 0; j < width; j++) {
      // Rounding can make the distance of two (nearly) equal rows slightly negative.
      dots[j] = Math.max(0, normI + squaredNorms[columnStart + j] - 2 * dots[j]);
    }
    sink.accept(i, columnStart, columnStart + width, dots);
    Arrays.fill(dots, 0, width, 0);
  }
}
