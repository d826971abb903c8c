package dev.spillway.simulator.scenario;

import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultRates;
import dev.spillway.simulator.ModelProfile;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Turns a model name, the request's directives and the current fault rates into a {@link Scenario}.
 *
 * <p>Fault draws, {@code fault-rate} draws, random cut points and latency draws come from a
 * generator seeded with the simulator seed and the request's sequence number only, so replaying the
 * same requests in the same order against a simulator with the same seed replays the same faults.
 * The one exception is {@code flap}, which follows the simulator's clock on purpose: a flapping
 * provider fails for stretches of time, whatever is asked of it. Thread-safe; its only state is the
 * clock it reads.
 */
public final class ScenarioPlanner {

  private final long seed;
  private final Function<String, ModelProfile> profiles;
  private final LongSupplier uptimeMillis;

  /**
   * @param seed the simulator seed
   * @param profiles profile lookup by model name without directives
   * @param uptimeMillis milliseconds since the simulator started, for {@code flap} windows
   */
  public ScenarioPlanner(
      long seed, Function<String, ModelProfile> profiles, LongSupplier uptimeMillis) {
    this.seed = seed;
    this.profiles = profiles;
    this.uptimeMillis = uptimeMillis;
  }

  /**
   * Settles one request's behaviour.
   *
   * @param model model name without directives
   * @param directives header and model-name directives, already merged
   * @param sequence the request's sequence number
   * @param rates fault rates in force, used only when the directives name no fault
   */
  public Scenario plan(String model, Directives directives, long sequence, FaultRates rates) {
    SplittableRandom random = new SplittableRandom(mix(seed, sequence));
    double draw = random.nextDouble();
    long timingSeed = random.nextLong();
    // Drawn whether used or not, and after the older draws, so that adding a directive to a request
    // changes none of its other draws and older replays keep their faults and timings.
    double cutDraw = random.nextDouble();
    double faultRateDraw = random.nextDouble();

    ModelProfile profile = profiles.apply(model);
    if (directives.ttftMillis().isPresent()) {
      profile = profile.withTtftMillis(directives.ttftMillis().getAsLong());
    }
    if (directives.itlMillis().isPresent()) {
      profile = profile.withItlMillis(directives.itlMillis().getAsLong());
    }
    if (directives.outputTokens().isPresent()) {
      profile = profile.withOutputTokens(directives.outputTokens().getAsInt());
    }

    Fault fault = directives.fault().orElseGet(() -> rates.pick(draw));
    if (fault != Fault.NONE && !faultApplies(directives, faultRateDraw)) {
      fault = Fault.NONE;
    }
    OptionalInt retryAfter = directives.retryAfterSeconds();
    if (retryAfter.isEmpty() && fault == Fault.RATE_LIMITED) {
      retryAfter = OptionalInt.of(Scenario.DEFAULT_RETRY_AFTER_SECONDS);
    }
    return new Scenario(
        sequence,
        profile,
        fault,
        directives.omitUsage(),
        retryAfter,
        directives.stallMillis().orElse(Scenario.DEFAULT_STALL_MILLIS),
        timingSeed,
        directives.cutAt().orElse(CutPoint.HALF),
        cutDraw);
  }

  /**
   * Whether the request's fault survives its gates: the {@code fault-rate} draw, and a faulty
   * (even) {@code flap} window of the simulator's clock.
   */
  private boolean faultApplies(Directives directives, double faultRateDraw) {
    if (directives.faultRate().isPresent()
        && faultRateDraw >= directives.faultRate().getAsDouble()) {
      return false;
    }
    if (directives.flapMillis().isPresent()) {
      long window = uptimeMillis.getAsLong() / directives.flapMillis().getAsLong();
      return window % 2 == 0;
    }
    return true;
  }

  /** Combines two longs into a well-spread seed (the golden-ratio step of SplitMix64). */
  static long mix(long seed, long value) {
    return seed ^ (value * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
  }
}
