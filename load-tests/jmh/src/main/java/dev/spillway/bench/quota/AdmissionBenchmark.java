package dev.spillway.bench.quota;

import dev.spillway.quota.allowance.Allowance;
import dev.spillway.quota.allowance.AllowanceChain;
import dev.spillway.quota.allowance.DemandEstimator;
import dev.spillway.quota.lease.LeaseGrant;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-gateway admission decision, as the request path makes it: one clock read, then a
 * reservation on each of a caller's budgets (feature tokens-per-minute, tenant tokens-per-day,
 * tenant requests-per-minute, tenant concurrent-requests), all or nothing, then the settlement of
 * each with the real use. One operation = one request admitted and settled.
 *
 * <p>The allowances are shared by every benchmark thread, as one gateway instance's allowances are
 * shared by its event loops, so {@code -t 2} measures the compare-and-set contention too. They are
 * granted far more than a run can use, so every decision admits (the common case; a refusal costs
 * the same CAS-free check plus one small object).
 *
 * <p>Run: {@code java -jar load-tests/jmh/target/benchmarks.jar AdmissionBenchmark -t 1} (and
 * {@code -t 2}), or {@code bin/spillway bench quota-admission}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class AdmissionBenchmark {

  private static final long PLENTY = Long.MAX_VALUE / 4;

  private Allowance[] chain;
  private final long[] estimate = {1_200, 1_200, 1, 1};
  private final long[] actual = {320, 320, 1, 0};

  @Setup(Level.Trial)
  public void lease() {
    String[] resources = {
      "tenant/acme/feature/search/tokens-per-minute",
      "tenant/acme/tokens-per-day",
      "tenant/acme/requests-per-minute",
      "tenant/acme/concurrent-requests"
    };
    chain = new Allowance[resources.length];
    for (int i = 0; i < resources.length; i++) {
      Allowance allowance =
          new Allowance(resources[i], new DemandEstimator(1_000, 0.5, Duration.ofSeconds(30)));
      allowance.apply(
          allowance.report(System.nanoTime()),
          new LeaseGrant(resources[i], "", "ok", 1, 3_600_000, PLENTY, PLENTY, 0, 3_600_000));
      chain[i] = allowance;
    }
  }

  /** Reserve the estimate on four budgets, then settle each with the real use. */
  @Benchmark
  public boolean reserveAndSettleFourBudgets() {
    AllowanceChain.Outcome outcome = AllowanceChain.tryReserve(chain, estimate, System.nanoTime());
    if (outcome instanceof AllowanceChain.Held held) {
      held.settle(actual);
      return true;
    }
    return false;
  }

  /** One budget: the cost of a single decision (reserve and settle). */
  @Benchmark
  public boolean reserveAndSettleOneBudget() {
    if (chain[0].tryReserve(1_200, System.nanoTime())
        instanceof dev.spillway.quota.allowance.Reservation reservation) {
      reservation.settle(320);
      return true;
    }
    return false;
  }
}
