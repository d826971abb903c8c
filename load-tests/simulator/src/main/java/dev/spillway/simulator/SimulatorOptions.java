package dev.spillway.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the simulator is started with. Immutable; build it with {@link #builder()}.
 *
 * @param host address to bind (default {@code 0.0.0.0})
 * @param port port to bind; 0 picks a free one (default 0; the command line defaults to 8090)
 * @param seed seed for generated content and for fault-rate draws (default 42)
 * @param defaultProfile profile of every model not listed in {@code models} (default {@link
 *     ModelProfile#DEFAULT})
 * @param models profiles of specific model names (default none)
 * @param eventLoops event-loop threads and HTTP server instances (default: one per core)
 * @param tokensPerMinute upstream tokens-per-minute budget; 0 means unlimited (default 0)
 * @param apiKey key that requests must present as {@code Authorization: Bearer} or {@code
 *     x-api-key}; empty means no check (default empty)
 * @param outcomes recorded per-prompt outcomes that mapped models replay (default none: answers are
 *     generated text)
 */
public record SimulatorOptions(
    String host,
    int port,
    long seed,
    ModelProfile defaultProfile,
    Map<String, ModelProfile> models,
    int eventLoops,
    long tokensPerMinute,
    Optional<String> apiKey,
    Optional<OutcomeReplay> outcomes) {

  public SimulatorOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(defaultProfile, "defaultProfile");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(outcomes, "outcomes");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], was " + port);
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be >= 1, was " + eventLoops);
    }
    if (tokensPerMinute < 0) {
      throw new IllegalArgumentException("tokensPerMinute must be >= 0, was " + tokensPerMinute);
    }
    models = Map.copyOf(models);
  }

  /** A builder holding the defaults listed on this record. */
  public static Builder builder() {
    return new Builder();
  }

  /** The options with every default. */
  public static SimulatorOptions defaults() {
    return builder().build();
  }

  /** The profile for a model name without directives: its own, or the default. */
  public ModelProfile profileFor(String model) {
    return models.getOrDefault(model, defaultProfile);
  }

  /** A builder initialised from these options. */
  public Builder toBuilder() {
    Builder builder =
        builder()
            .host(host)
            .port(port)
            .seed(seed)
            .defaultProfile(defaultProfile)
            .eventLoops(eventLoops)
            .tokensPerMinute(tokensPerMinute)
            .apiKey(apiKey.orElse(null))
            .outcomes(outcomes.orElse(null));
    models.forEach(builder::model);
    return builder;
  }

  /** Mutable, single-threaded builder for {@link SimulatorOptions}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 0;
    private long seed = 42;
    private ModelProfile defaultProfile = ModelProfile.DEFAULT;
    private final Map<String, ModelProfile> models = new LinkedHashMap<>();
    private int eventLoops = Runtime.getRuntime().availableProcessors();
    private long tokensPerMinute = 0;
    private String apiKey;
    private OutcomeReplay outcomes;

    private Builder() {}

    /** Replays recorded outcomes for the models they map ({@code null}: none). */
    public Builder outcomes(OutcomeReplay outcomes) {
      this.outcomes = outcomes;
      return this;
    }

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder defaultProfile(ModelProfile profile) {
      this.defaultProfile = profile;
      return this;
    }

    /** Gives one model name its own profile. */
    public Builder model(String name, ModelProfile profile) {
      models.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(profile, "profile"));
      return this;
    }

    public Builder eventLoops(int eventLoops) {
      this.eventLoops = eventLoops;
      return this;
    }

    public Builder tokensPerMinute(long tokensPerMinute) {
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    /** Requires this key on completion requests; {@code null} or blank turns the check off. */
    public Builder apiKey(String apiKey) {
      this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
      return this;
    }

    public SimulatorOptions build() {
      return new SimulatorOptions(
          host,
          port,
          seed,
          defaultProfile,
          models,
          eventLoops,
          tokensPerMinute,
          Optional.ofNullable(apiKey),
          Optional.ofNullable(outcomes));
    }
  }
}
