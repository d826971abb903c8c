package dev.spillway.gateway.config;

import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.provider.ProviderKind;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Usage events ({@code dev.spillway.usage.recorded}). */
  Events events();

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
  }

  /** A client-facing model. */
  interface RouteConfig {
    /** Upstream targets in order of preference; the next is tried when one fails before output. */
    List<TargetConfig> targets();
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
}
