package dev.spillway.gateway.config;

import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.provider.ProviderKind;
import dev.spillway.gateway.routing.RouteRules.HedgeMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the gateway is told at start-up, under the {@code gateway.} prefix. Checked once by
 * {@link GatewayConfigValidator}; a wrong value stops the start with the key's name.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

  /** Upstream providers by name ({@code gateway.providers.<name>.*}). */
  Map<String, ProviderConfig> providers();

  /**
   * Routes by client-facing model name ({@code gateway.routes.<model>.*}): what a client puts in
   * {@code model} and which upstream targets serve it, in order of preference.
   */
  Map<String, RouteConfig> routes();

  /**
   * API keys by the lowercase hex SHA-256 of the key ({@code gateway.keys.<sha256>.*}). Plain keys
   * are never configured or stored; {@code bin/spillway hash-key} prints the hash of a new key.
   */
  Map<String, KeyConfig> keys();

  /** Request limits. */
  Limits limits();

  /** The gateway's own metrics. */
  Metrics metrics();

  /** Usage events ({@code dev.spillway.usage.recorded}). */
  Events events();

  /** Default deadlines of every route; a route may override each. */
  Deadlines deadlines();

  /** Retries of the same target after a retryable failure, and the budget that bounds them. */
  Retry retry();

  /** Default hedging of every route; a route may override it. */
  Hedge hedge();

  /** Circuit breakers, one per provider and one per provider and upstream model. */
  Breaker breaker();

  /** Adaptive concurrency limit and admission queue, one per provider. */
  Concurrency concurrency();

  /** Default response validation of every route; a route may override each rule. */
  Validation validation();

  /**
   * Quota enforcement against the quota function ({@code gateway.quota.*}). Off while {@code
   * gateway.quota.url} is unset: keys then come from {@code gateway.keys} and nothing is limited.
   */
  Quota quota();

  /**
   * Sampling of user queries for drift scoring ({@code dev.spillway.query.sampled}, {@code
   * gateway.drift.*}). Off by default: every rate is 0.
   */
  Drift drift();

  /**
   * The online half of quality routing ({@code gateway.routing-quality.*}): feedback on routed
   * requests, kept by the quota function, read back by every instance so that a category whose
   * measured quality falls below its floor is routed more strongly everywhere. Needs {@code
   * gateway.quota.url}.
   */
  RoutingQuality routingQuality();

  /** How measured quality moves an {@code auto} route's categories. */
  interface RoutingQuality {
    /** How often the feedback sums are read from the quota function. */
    @WithDefault("30s")
    Duration refresh();

    /** The feedback window, in days. */
    @WithDefault("7")
    int windowDays();

    /**
     * Judged requests a category needs on its cheapest and on its strongest target before its
     * measured quality can move it.
     */
    @WithDefault("50")
    int minFeedback();

    /** How far a degraded category's floor is raised (toward the strongest target). */
    @WithDefault("0.03")
    double floorStep();
  }

  /** One upstream provider account. */
  interface ProviderConfig {
    /** The API dialect: {@code openai} (any OpenAI-compatible server) or {@code anthropic}. */
    ProviderKind kind();

    /**
     * Base URL. For {@code openai} it includes the version path ({@code
     * https://api.openai.com/v1}); for {@code anthropic} it does not ({@code
     * https://api.anthropic.com}).
     */
    URI baseUrl();

    /** The provider's API key; empty for servers that need none (vLLM, Ollama, the simulator). */
    Optional<String> apiKey();

    /** How long to wait for a TCP (and TLS) connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * How long a connection may stay silent while a response is awaited or streaming before the
     * attempt fails. Generous by default: slow reasoning models can think for a minute.
     */
    @WithDefault("120s")
    Duration idleTimeout();

    /** Pooled keep-alive connections to this provider, per gateway process. */
    @WithDefault("512")
    int maxConnections();

    /** The {@code anthropic-version} header sent to Anthropic providers. */
    @WithDefault("2023-06-01")
    String anthropicVersion();

    /**
     * The provider account whose upstream limits this provider's requests count against ({@code
     * account/<account>/tokens-per-minute} and {@code …/requests-per-minute} on the quota
     * function). Unset: the provider's name. Two providers with the same API key share one account.
     */
    Optional<String> account();
  }

  /** A client-facing model. */
  interface RouteConfig {
    /** Upstream targets in order of preference; the next is tried when one fails before output. */
    List<TargetConfig> targets();

    /** This route's deadlines; each unset one is {@code gateway.deadlines.*}. */
    DeadlineOverrides deadlines();

    /** This route's hedging; unset values are {@code gateway.hedge.*}. */
    HedgeOverrides hedge();

    /**
     * Mid-stream recovery: when a stream breaks after output reached the client, continue it on the
     * next target from exactly where it stopped, in the same client stream. Off by default because
     * the continuation is a second model's writing, which not every product accepts.
     */
    @WithDefault("false")
    boolean midStreamRecovery();

    /** This route's response validation; each unset rule is {@code gateway.validation.*}. */
    ValidationOverrides validation();

    /**
     * Request fields that act on the gateway's provider account which this route lets clients set:
     * any of {@code service_tier}, {@code store}, {@code web_search_options}. Unset: none, and a
     * request that sets one (to anything but its no-op value) is refused with a 400 naming it.
     */
    Optional<Set<String>> allowedAccountFields();

    /**
     * Quality routing: set {@code auto.router} to make this an {@code auto} route, which sends each
     * prompt to its cheapest target that keeps the prompt's task category at its quality floor.
     */
    Auto auto();
  }

  /**
   * An {@code auto} route's quality routing. Its targets are listed cheapest first; the first is
   * the router's weak candidate and the last its strong one.
   */
  interface Auto {
    /**
     * The router file ({@code spillway.router.v1}, from {@code bin/spillway router train}); unset:
     * the route tries its targets in order. A relative path is resolved against the working
     * directory; {@code classpath:routers/mmlu-ridge/router.json} is the router shipped inside the
     * gateway.
     */
    Optional<String> router();

    /**
     * The floor of each category not in {@code floors}, as a fraction of the strongest's quality.
     */
    @WithDefault("0.95")
    double defaultFloor();

    /** Floors per category ({@code floors."college_physics"=0.99}). */
    Map<String, Double> floors();

    /**
     * The category of a request that names none ({@code x-spillway-category}) and that no
     * classifier labelled. Unset: such a request goes to the strongest target.
     */
    Optional<String> defaultCategory();

    /** Labels prompts with their category when the request names none. */
    Classifier classifier();

    /** Shadow sampling: the strongest target's answer to a share of cheaply served requests. */
    Shadow shadow();
  }

  /**
   * Shadow sampling of an {@code auto} route (needs {@code gateway.quota.url}): a share of its
   * requests served by a cheaper target (streamed or not) is also sent, off the client's path, to
   * its strongest target; whether the two answers agree is recorded as a judgement of the request.
   */
  interface Shadow {
    /** The share of cheaply served requests shadowed, 0 (off) to 1. */
    @WithDefault("0")
    double rate();

    /**
     * What shadow requests may cost per tenant per UTC day, in US dollars, on each gateway
     * instance.
     */
    @WithDefault("1.00")
    double maxUsdPerDay();
  }

  /** The embedding function's classifier, asked for a prompt's category. */
  interface Classifier {
    /** The embedding function's base URL; unset: no classifier. */
    Optional<URI> url();

    /** The classification head whose labels are the router's categories. */
    @WithDefault("mmlu-subject")
    String head();

    /** How long a request waits for the label before it goes to the strongest target. */
    @WithDefault("15ms")
    Duration timeout();
  }

  /** How long a request and each of its upstream attempts may take. */
  interface Deadlines {
    /**
     * How long a streaming attempt may wait for its first output token; past it the attempt counts
     * as failed and the next target is tried. Users judge a chat by its first token, and a provider
     * that has not begun in 20 s is usually queueing, not thinking. A non-streaming answer arrives
     * whole, so only {@code total} bounds it.
     */
    @WithDefault("20s")
    Duration firstToken();

    /**
     * How long a stream may stay silent between chunks while the gateway is waiting for one. A
     * stalled stream otherwise holds the client until the connection's idle timeout.
     */
    @WithDefault("15s")
    Duration stall();

    /** The most a whole request may take, retries, hedges and recovery included. */
    @WithDefault("300s")
    Duration total();
  }

  /** A route's own deadlines. */
  interface DeadlineOverrides {
    Optional<Duration> firstToken();

    Optional<Duration> stall();

    Optional<Duration> total();
  }

  /** Retries and their budget. */
  interface Retry {
    /**
     * Attempts on one target before moving on (1 = no retry). The second attempt mostly catches
     * transient resets and one-off 5xx; more would only delay the fallback.
     */
    @WithDefault("2")
    int maxAttemptsPerTarget();

    /**
     * Extra upstream requests (retries and hedges) allowed per provider, as a share of its first
     * attempts over the budget window. 0.2: a failing provider sees at most 20 % more load from the
     * gateway, never a retry storm.
     */
    @WithDefault("0.2")
    double budgetRatio();

    /** Extra requests per second always allowed, so that a quiet provider can still be retried. */
    @WithDefault("5")
    int budgetMinPerSecond();

    /** The sliding window of the budget. */
    @WithDefault("10s")
    Duration budgetWindow();

    /** First backoff before a retry; each next one doubles, with full jitter. */
    @WithDefault("25ms")
    Duration backoffBase();

    /** Largest backoff. */
    @WithDefault("1s")
    Duration backoffMax();

    /**
     * The longest upstream {@code Retry-After} the gateway waits out on the same target; a longer
     * one moves on to the next target at once (and is passed to the client if none is left).
     */
    @WithDefault("2s")
    Duration maxRetryAfter();
  }

  /** Hedging: a second target started when the first is slow to begin. */
  interface Hedge {
    /**
     * {@code adaptive} (the delay is the target's observed time-to-first-output quantile), {@code
     * fixed} ({@code delay}), or {@code off}.
     */
    @WithDefault("adaptive")
    HedgeMode mode();

    /** The fixed delay, and the adaptive one until enough latencies have been observed. */
    @WithDefault("2s")
    Duration delay();

    /** The quantile of observed time to first output that an adaptive hedge waits for. */
    @WithDefault("0.95")
    double quantile();

    /** Smallest adaptive delay: hedging sooner would mostly double load on healthy targets. */
    @WithDefault("50ms")
    Duration minDelay();
  }

  /** A route's own hedging. */
  interface HedgeOverrides {
    Optional<HedgeMode> mode();

    Optional<Duration> delay();
  }

  /**
   * Circuit breakers. A breaker looks at its last {@code request-volume} attempts (errors,
   * first-token timeouts and invalid answers count as failures; client errors and cancelled hedges
   * do not) and opens when their failure ratio reaches {@code failure-ratio}.
   */
  interface Breaker {
    /** The rolling window: how many recent attempts the failure ratio is taken over. */
    @WithDefault("20")
    int requestVolume();

    /** Failure ratio at which the breaker opens. */
    @WithDefault("0.5")
    double failureRatio();

    /** How long an open breaker stays open before it lets probes through (half-open). */
    @WithDefault("5s")
    Duration delay();

    /** Successful probes in a row that close a half-open breaker. */
    @WithDefault("2")
    int successThreshold();
  }

  /** Per-provider adaptive concurrency (AIMD) and the admission queue in front of it. */
  interface Concurrency {
    /** The limit a provider starts with. */
    @WithDefault("64")
    int initialLimit();

    @WithDefault("4")
    int minLimit();

    @WithDefault("1024")
    int maxLimit();

    /** Requests that may wait for a provider's permit; beyond it, lower tiers are shed. */
    @WithDefault("256")
    int maxQueue();

    /** Longest wait in the queue before the request is refused with 503 and Retry-After. */
    @WithDefault("5s")
    Duration maxQueueWait();

    /**
     * A successful attempt whose first output took longer than this lowers the provider's limit as
     * a drop would: an upstream that slow to begin is queueing. Measured to a stream's first
     * output, so a long streamed generation never counts; a non-streaming answer's first output is
     * the whole answer, hence the generous default.
     */
    @WithDefault("30s")
    Duration dropTimeout();
  }

  /** Response validation rules ("200 OK but garbage"). */
  interface Validation {
    /** A {@code stop} with no content and no tool call is a failure. */
    @WithDefault("true")
    boolean emptyContent();

    /**
     * A {@code length} finish with fewer output tokens than this (unless the client's own {@code
     * max_tokens} explains it) is a failure; 0 turns the rule off.
     */
    @WithDefault("16")
    int minLengthTokens();

    /** JSON modes: the content must parse, and match the request's JSON Schema. */
    @WithDefault("true")
    boolean json();

    /** Degenerate repetition (the model looping) is a failure. */
    @WithDefault("true")
    boolean repetition();

    /** An answer without usage is a failure (off: many OpenAI-compatible servers omit it). */
    @WithDefault("false")
    boolean requireUsage();

    /**
     * Buffer streams in JSON modes and validate the whole document before the first byte reaches
     * the client, so that a broken JSON answer falls back instead of reaching the client. Costs the
     * stream's incremental delivery in JSON modes only.
     */
    @WithDefault("true")
    boolean bufferJsonStreams();

    /**
     * Answers that failed a constraint of the client's own request (a JSON schema no answer
     * satisfies, stop sequences that leave the content empty, a max_tokens too small for the JSON)
     * after which the request ends with a 422 naming the field. Such failures never count against a
     * provider's breaker; 2 lets a second target try, without fanning out to every one.
     */
    @WithDefault("2")
    int maxConstrainedAttempts();

    /**
     * Compiled response schemas kept (keyed by a hash of each schema); a schema unused for an hour
     * is dropped even below the bound.
     */
    @WithDefault("256")
    int schemaCacheSize();
  }

  /** A route's own validation rules. */
  interface ValidationOverrides {
    Optional<Boolean> emptyContent();

    Optional<Integer> minLengthTokens();

    Optional<Boolean> json();

    Optional<Boolean> repetition();

    Optional<Boolean> requireUsage();

    Optional<Boolean> bufferJsonStreams();
  }

  /** One upstream model behind a route, with its price. */
  interface TargetConfig {
    /** Name of a provider under {@code gateway.providers}. */
    String provider();

    /** The model name sent upstream. */
    String model();

    /** US dollars per million prompt tokens. */
    @WithName("input-usd-per-mtok")
    @WithDefault("0")
    double inputUsdPerMtok();

    /** US dollars per million completion tokens. */
    @WithName("output-usd-per-mtok")
    @WithDefault("0")
    double outputUsdPerMtok();
  }

  /** Who an API key belongs to. */
  interface KeyConfig {
    /** The tenant that pays for the key's requests. */
    String tenant();

    /** The tenant's feature the key is issued to. */
    @WithDefault("default")
    String feature();

    /** Priority tier: {@code interactive}, {@code standard} or {@code batch}. */
    @WithDefault("standard")
    PriorityTier tier();
  }

  /** What the gateway's own metrics carry. */
  interface Metrics {
    /**
     * Label request, cost and constraint metrics with the caller's tenant. Turn off where tenants
     * are many (keys from the quota function): each tenant is a series per route and model.
     */
    @WithDefault("true")
    boolean tenantLabel();
  }

  /** Request limits. */
  interface Limits {
    /** Largest accepted request body in bytes (4 MiB); larger bodies get a 413. */
    @WithDefault("4194304")
    int maxBodyBytes();

    /**
     * {@code max_tokens} sent to providers that require one (Anthropic) when the client set none.
     */
    @WithDefault("4096")
    int defaultMaxTokens();
  }

  /** Usage events. */
  interface Events {
    /**
     * Where usage CloudEvents are POSTed; Knative's SinkBinding injects {@code K_SINK}. Empty: no
     * events are sent.
     */
    Optional<URI> sink();

    /** The CloudEvents {@code source} attribute. */
    @WithDefault("/spillway/gateway")
    String source();

    /** Deliveries in flight at most; events beyond it are dropped and counted. */
    @WithDefault("256")
    int maxInFlight();

    /** Connect and idle timeout of one delivery. */
    @WithDefault("2s")
    Duration timeout();
  }

  /**
   * Query sampling for the drift function. A sampled request's last user message is sent as a
   * {@code dev.spillway.query.sampled} CloudEvent, off the request path; the drift function embeds
   * it and keeps term statistics. The rate that applies to a request is the most specific one:
   * {@code sample-rates."<tenant>/<feature>"}, else {@code sample-rates."<tenant>/*"}, else {@code
   * sample-rate}.
   */
  interface Drift {
    /**
     * The fraction of admitted chat requests sampled, from 0 (none) to 1 (all), for every tenant
     * and feature without an override. 0 by default: prompts leave the gateway only when an
     * operator asks for it.
     */
    @WithDefault("0")
    double sampleRate();

    /**
     * Per tenant and feature rates, from 0 to 1, keyed {@code "<tenant>/<feature>"} or {@code
     * "<tenant>/*"} (every feature of the tenant without its own entry), e.g. {@code
     * gateway.drift.sample-rates."acme/search"=0.05}.
     */
    Map<String, Double> sampleRates();

    /**
     * Where samples are POSTed ({@code GATEWAY_DRIFT_SINK}). Unset: the usage events' sink ({@code
     * gateway.events.sink}, {@code K_SINK}): on Knative both go to the broker, whose Triggers route
     * by event type; locally it is the drift function's URL. With neither set nothing is sampled.
     */
    Optional<URI> sink();
  }

  /** Quota enforcement: leases from the quota function, decided in the gateway's memory. */
  interface Quota {
    /**
     * Base URL of the quota function ({@code http://localhost:8081}). Set: API keys are resolved
     * through it (by hash) and every request is admitted against leased budgets. Unset: keys come
     * from {@code gateway.keys} and nothing is limited.
     */
    Optional<URI> url();

    /** The service key the gateway sends to the quota function ({@code Authorization: Bearer}). */
    Optional<String> serviceKey();

    /** How long to wait for a TCP connection to the quota function. */
    @WithDefault("1s")
    Duration connectTimeout();

    /**
     * How long one call to the quota function (a key lookup or a lease renewal) may take. Short: a
     * renewal that takes longer is as good as failed, and the gateway keeps using its allowance.
     */
    @WithDefault("2s")
    Duration requestTimeout();

    /**
     * The most a request waits for a lease renewal when its allowance lacks room but the budget has
     * headroom (or when no lease is held yet). It waits without blocking a thread; past it the
     * request is decided on what is held.
     */
    @WithDefault("200ms")
    Duration renewalWait();

    /** How often the lease manager checks whether a renewal is due (low allowance, window end). */
    @WithDefault("100ms")
    Duration checkInterval();

    /**
     * The renewal interval used until the quota function has said its own ({@code refresh_in_ms}).
     */
    @WithDefault("5s")
    Duration defaultRefresh();

    /**
     * How long an unknown or revoked key's 401 is cached, so that a wrong key cannot flood the
     * quota function.
     */
    @WithDefault("5s")
    Duration negativeCacheFor();

    /**
     * How long past its TTL a known key's answer keeps serving while the quota function is
     * unreachable ("stale if error"). A key revoked during an outage this long works until then.
     */
    @WithDefault("15m")
    Duration keyStaleFor();

    /**
     * Key answers cached at most (known and unknown keys together). Keys come from clients, so the
     * cache is bounded: a flood of random keys evicts the rarely used ones, not the heap.
     */
    @WithDefault("100000")
    int keyCacheSize();

    /**
     * Connections to the quota function for key look-ups, kept apart from those for lease renewals,
     * so that a flood of unknown keys queues behind its own pool and renewals go on. Look-ups past
     * these connections and a queue of 16 per connection fail fast (a 503).
     */
    @WithDefault("8")
    int keyLookupConnections();

    /**
     * The expected output of a request that sets neither {@code max_tokens} nor {@code
     * max_completion_tokens}, when the key's feature has no observed p90 yet.
     */
    @WithDefault("1024")
    int defaultOutputTokens();

    /**
     * How long after a request's total deadline an unsettled reservation (a lost callback, a bug)
     * is settled as fully used and counted in {@code spillway_quota_reservations_expired_total}.
     */
    @WithDefault("30s")
    Duration reservationMargin();

    /** What to do when the quota function is unreachable and a lease's validity has passed. */
    Unreachable unreachable();
  }

  /** Per-tier policy while the quota function is unreachable. */
  interface Unreachable {
    /** Policy for {@code interactive} keys: {@code fail-open} or {@code fail-closed}. */
    @WithDefault("fail-open")
    UnreachablePolicy interactive();

    /** Policy for {@code standard} keys. */
    @WithDefault("fail-open")
    UnreachablePolicy standard();

    /** Policy for {@code batch} keys: closed, so that a batch job cannot run unmetered. */
    @WithDefault("fail-closed")
    UnreachablePolicy batch();

    /**
     * What {@code fail-open} admits at most, per tenant and gateway instance, in tokens per UTC
     * minute: an outage of the quota function must not become an unlimited budget.
     */
    @WithDefault("100000")
    long safetyTokensPerMinute();
  }

  /** What a tier gets while the quota function is unreachable. */
  enum UnreachablePolicy {
    /** Admit, up to the local safety limit. */
    FAIL_OPEN,
    /** Refuse with 503 {@code quota_unavailable}. */
    FAIL_CLOSED
  }
}
