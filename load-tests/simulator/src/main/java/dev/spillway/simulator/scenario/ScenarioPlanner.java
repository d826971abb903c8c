package dev.spillway.simulator.scenario;

import dev.spillway.simulator.Fault;
import dev.spillway.simulator.FaultRates;
import dev.spillway.simulator.ModelProfile;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Turns a model name, the request's directives and the current fault rates into a {@link Scenario}.
 *
 * <p>Fault draws and latency draws come from a generator seeded with the simulator seed and the
 * request's sequence number only, so replaying the same requests in the same order against a
 * simulator with the same seed replays the same faults. Stateless and thread-safe.
 */
public final class ScenarioPlanner {

  private final long seed;
  private final Function<String, ModelProfile> profiles;

  /**
   * @param seed the simulator seed
   * @param profiles profile lookup by model name without directives
   */
  public ScenarioPlanner(long seed, Function<String, ModelProfile> profiles) {
    this.seed = seed;
    this.profiles = profiles;
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
        timingSeed);
  }

  /** Combines two longs into a well-spread seed (the golden-ratio step of SplitMix64). */
  static long mix(long seed, long value) {
    return seed ^ (value * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
  }
}
