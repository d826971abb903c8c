package dev.spillway.gateway.accounting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's request metrics, named after the OpenTelemetry GenAI semantic conventions ({@code
 * gen_ai.server.time_to_first_token}, {@code gen_ai.server.time_per_output_token}, {@code
 * gen_ai.server.request.duration}, {@code gen_ai.client.token.usage}) plus Spillway's cost and
 * outcome counters.
 *
 * <p>Labels are provider, model, route and tenant. Provider, model and route come from
 * configuration; tenants come from the keys, which the quota function may hold by the thousand, so
 * the tenant label can be turned off ({@code gateway.metrics.tenant-label=false}) and then reads
 * {@value #ALL_TENANTS}: no label value is ever chosen by what a client sends. Meters are looked up
 * once per label set and cached, because building them per request would allocate on the hot path.
 * Thread-safe.
 */
public final class GatewayMetrics {

  /** Latency buckets from the GenAI conventions' advice, in seconds. */
  private static final Duration[] TTFT_BUCKETS =
      seconds(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);

  private static final Duration[] TPOT_BUCKETS =
      seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);

  private static final Duration[] DURATION_BUCKETS =
      seconds(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576
  };

  /** The tenant label's value when the label is turned off. */
  public static final String ALL_TENANTS = "all";

  private final MeterRegistry registry;
  private final boolean tenantLabel;
  private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

  /**
   * @param tenantLabel whether meters carry the caller's tenant (else {@value #ALL_TENANTS})
   */
  public GatewayMetrics(MeterRegistry registry, boolean tenantLabel) {
    this.registry = registry;
    this.tenantLabel = tenantLabel;
  }

  /** Records one finished request. */
  public void record(RequestRecord record, double costUsd) {
    String provider = record.target() == null ? "none" : record.target().provider().name();
    String model = record.target() == null ? "none" : record.target().model();
    Meters m =
        meters.computeIfAbsent(
            new Key(
                provider,
                model,
                record.route(),
                tenantLabel ? record.caller().tenant() : ALL_TENANTS),
            this::register);
    m.requests(record.outcome()).increment();
    m.duration.record(record.durationNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    if (record.ttftNanos() >= 0) {
      m.ttft.record(record.ttftNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      int outputTokens = record.usage() == null ? 0 : record.usage().completionTokens();
      if (outputTokens > 1) {
        long perToken = (record.durationNanos() - record.ttftNanos()) / (outputTokens - 1);
        m.timePerOutputToken.record(perToken, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    }
    if (record.usage() != null) {
      m.inputTokens.record(record.usage().promptTokens());
      m.outputTokens.record(record.usage().completionTokens());
      m.cost.increment(costUsd);
    }
  }

  private Meters register(Key key) {
    Tags tags =
        Tags.of(
            "gen_ai.operation.name", "chat",
            "provider", key.provider,
            "model", key.model,
            "route", key.route,
            "tenant", key.tenant);
    return new Meters(
        registry,
        tags,
        Timer.builder("gen_ai.server.time_to_first_token")
            .description("Time from request receipt to the first output chunk sent to the client")
            .tags(tags)
            .serviceLevelObjectives(TTFT_BUCKETS)
            .register(registry),
        Timer.builder("gen_ai.server.time_per_output_token")
            .description("Time per output token after the first, for streams")
            .tags(tags)
            .serviceLevelObjectives(TPOT_BUCKETS)
            .register(registry),
        Timer.builder("gen_ai.server.request.duration")
            .description("Time from request receipt to the end of the response")
            .tags(tags)
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry),
        tokenUsage(tags, "input"),
        tokenUsage(tags, "output"),
        Counter.builder("spillway.cost.usd")
            .description("Cost of served tokens in US dollars")
            .tags(tags)
            .register(registry));
  }

  private DistributionSummary tokenUsage(Tags tags, String type) {
    return DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Tokens per request")
        .baseUnit("tokens")
        .tags(tags.and("gen_ai.token.type", type))
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] durations = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      durations[i] = Duration.ofNanos((long) (values[i] * 1_000_000_000L));
    }
    return durations;
  }

  private record Key(String provider, String model, String route, String tenant) {}

  private static final class Meters {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer ttft;
    private final Timer timePerOutputToken;
    private final Timer duration;
    private final DistributionSummary inputTokens;
    private final DistributionSummary outputTokens;
    private final Counter cost;
    private final Map<Outcome, Counter> requests = new java.util.EnumMap<>(Outcome.class);

    Meters(
        MeterRegistry registry,
        Tags tags,
        Timer ttft,
        Timer timePerOutputToken,
        Timer duration,
        DistributionSummary inputTokens,
        DistributionSummary outputTokens,
        Counter cost) {
      this.registry = registry;
      this.tags = tags;
      this.ttft = ttft;
      this.timePerOutputToken = timePerOutputToken;
      this.duration = duration;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
      this.cost = cost;
      for (Outcome outcome : Outcome.values()) {
        requests.put(
            outcome,
            Counter.builder("spillway.requests")
                .description("Chat requests by outcome")
                .tags(tags.and("outcome", outcome.label()))
                .register(registry));
      }
    }

    Counter requests(Outcome outcome) {
      return requests.get(outcome);
    }
  }
}
