package dev.spillway.simulator.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.simulator.FaultRates;
import dev.spillway.simulator.SimulatorOptions;
import dev.spillway.simulator.completion.CompletionPlanner;
import dev.spillway.simulator.completion.SchemaInstanceGenerator;
import dev.spillway.simulator.completion.TextGenerator;
import dev.spillway.simulator.ratelimit.TokenBucket;
import dev.spillway.simulator.scenario.ScenarioPlanner;
import io.vertx.core.http.HttpConnection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * State shared by every event loop of one simulator: options, counters, fault rates, the request
 * sequence and the token bucket. Thread-safe: everything mutable here is atomic or volatile.
 */
public final class SimulatorRuntime {

  private final SimulatorOptions options;
  private final StatsRecorder stats = new StatsRecorder();
  private final ObjectMapper json = new ObjectMapper();
  private final ScenarioPlanner scenarios;
  private final CompletionPlanner completions;
  private final Optional<TokenBucket> tokenBucket;
  private final AtomicLong sequence = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile FaultRates faultRates = FaultRates.NONE;

  public SimulatorRuntime(SimulatorOptions options) {
    this.options = options;
    this.scenarios = new ScenarioPlanner(options.seed(), options::profileFor, this::uptimeMillis);
    TextGenerator text = new TextGenerator();
    this.completions =
        new CompletionPlanner(
            text, new SchemaInstanceGenerator(text), options.outcomes().orElse(null));
    this.tokenBucket =
        options.tokensPerMinute() > 0
            ? Optional.of(new TokenBucket(options.tokensPerMinute(), System::nanoTime))
            : Optional.empty();
  }

  public SimulatorOptions options() {
    return options;
  }

  public StatsRecorder stats() {
    return stats;
  }

  public ObjectMapper json() {
    return json;
  }

  public ScenarioPlanner scenarios() {
    return scenarios;
  }

  public CompletionPlanner completions() {
    return completions;
  }

  public Optional<TokenBucket> tokenBucket() {
    return tokenBucket;
  }

  /**
   * Milliseconds since this simulator started, on the monotonic clock. {@code flap} windows count
   * from here; a reset does not restart them.
   */
  public long uptimeMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** The next completion request's sequence number. */
  public long nextSequence() {
    return sequence.getAndIncrement();
  }

  public FaultRates faultRates() {
    return faultRates;
  }

  public void faultRates(FaultRates rates) {
    this.faultRates = rates;
  }

  /** Open connections, so that a refusal can close them as a crashed upstream would. */
  public Set<HttpConnection> connections() {
    return connections;
  }

  /** Clears fault rates and counters, restarts the sequence and refills the token bucket. */
  public void reset() {
    faultRates = FaultRates.NONE;
    stats.reset();
    sequence.set(0);
    tokenBucket.ifPresent(TokenBucket::refillCompletely);
  }
}
