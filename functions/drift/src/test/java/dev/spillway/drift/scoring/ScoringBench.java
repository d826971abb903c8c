package dev.spillway.drift.scoring;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Times the drift scores on a report-sized input: 2,000 reference and 2,000 current 384-dimensional
 * unit rows (a synthetic topic mixture whose current sample leans towards two of twelve topics);
 * MMD with 200 permutations, the 5-fold domain classifier, centroid distance and a
 * Kolmogorov–Smirnov test on 2,000 scalars per side. A benchmark, not a test: the figures go to
 * {@code docs/benchmarks/drift.md}.
 *
 * <pre>
 * mvn -o -q -pl functions/drift -am -DskipTests test-compile
 * java -cp functions/drift/target/classes:functions/drift/target/test-classes \
 *     dev.spillway.drift.scoring.ScoringBench [rounds]
 * </pre>
 *
 * <p>Each round is timed on its own; the first includes JIT compilation, as the first report of a
 * freshly started function would. Wall time and process CPU time are both printed: on a machine
 * shared with other work, CPU time over wall time shows how much of the two cores the run got.
 */
public final class ScoringBench {

  private ScoringBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int n = 2_000;
    SphereMixture topics = SphereMixture.random(384, 12, 1.0, 7);
    SplittableRandom random = new SplittableRandom(11);
    float[][] reference = topics.sample(n, random);
    float[][] current =
        topics.withWeights(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.3, 1.3).sample(n, random);
    double[] referenceSimilarity = random.doubles(n).toArray();
    double[] currentSimilarity = random.doubles(n).map(v -> 0.95 * v).toArray();
    System.out.printf(
        "cores %d, load average %.2f at start, %s %s%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
    for (int round = 1; round <= rounds; round++) {
      long seed = round;
      long[] report = {System.nanoTime(), cpuNanos()};
      MmdPermutationTest.Result mmd =
          timed(
              "MMD, 200 permutations",
              () -> MmdPermutationTest.test(reference, current, 200, seed));
      DomainClassifierAuc.Result auc =
          timed(
              "classifier AUC, 5 folds",
              () -> DomainClassifierAuc.evaluate(reference, current, seed));
      double centroid =
          timed("centroid distance", () -> CentroidDistance.cosine(reference, current));
      KolmogorovSmirnov.Result ks =
          timed(
              "Kolmogorov-Smirnov",
              () -> KolmogorovSmirnov.test(referenceSimilarity, currentSimilarity));
      System.out.printf(
          "round %d: all four %d ms wall, %d ms CPU; load %.2f; mmd2 %.6f p %.4f sigma2 %.4f,"
              + " AUC %.4f, centroid %.5f, KS D %.4f p %.4f%n",
          round,
          (System.nanoTime() - report[0]) / 1_000_000,
          (cpuNanos() - report[1]) / 1_000_000,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          mmd.mmd2(),
          mmd.pValue(),
          mmd.bandwidthSigma2(),
          auc.auc(),
          centroid,
          ks.statistic(),
          ks.pValue());
    }
  }

  private static <T> T timed(String what, Supplier<T> call) {
    long wall = System.nanoTime();
    long cpu = cpuNanos();
    T result = call.get();
    System.out.printf(
        "  %-26s %6d ms wall %6d ms CPU%n",
        what, (System.nanoTime() - wall) / 1_000_000, (cpuNanos() - cpu) / 1_000_000);
    return result;
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
