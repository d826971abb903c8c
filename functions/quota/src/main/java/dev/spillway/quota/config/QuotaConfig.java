package dev.spillway.quota.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the quota function is told at start-up, under the {@code quota.} prefix. Checked once
 * by {@link QuotaConfigValidator}; a wrong value stops the start with the key's name.
 */
@ConfigMapping(prefix = "quota")
public interface QuotaConfig {

  /**
   * Lowercase hex SHA-256 of the admin key ({@code QUOTA_ADMIN_KEY_HASH}): tenants, keys, budgets,
   * accounts, any tenant's usage, and the service endpoints. Required outside the dev, test and
   * local profiles; {@code bin/spillway hash-key} prints the hash of a new key.
   */
  Optional<String> adminKeyHash();

  /**
   * Lowercase hex SHA-256 of the service key the gateways use ({@code QUOTA_SERVICE_KEY_HASH}):
   * {@code POST /leases} and {@code POST /keys/lookup} only. Required outside the dev, test and
   * local profiles.
   */
  Optional<String> serviceKeyHash();

  /**
   * How long a lease's allowance may be used without a renewal ({@code validForMs}); a lease not
   * renewed within it expires and its allowance (and, for concurrent requests, its requests in
   * flight) returns to the budget. 1 s to 10 min.
   */
  @WithDefault("10s")
  Duration leaseTtl();

  /**
   * When a gateway should renew at the latest ({@code refresh_in_ms}), so that shares follow
   * demand; shorter than {@link #leaseTtl()}.
   */
  @WithDefault("1s")
  Duration refreshInterval();

  /**
   * Window length in which provider-account per-minute limits are enforced, each window getting
   * {@code limit * account-window / 1 minute}: a provider refills continuously, so a minute's
   * capacity granted in its first second would be refused upstream. Any window up to 30 s stays
   * within a provider's bucket (two windows back to back use at most {@code limit}); 10 s keeps
   * window rollovers, when every instance must renew before it admits again, rare. 100 ms to 1 min,
   * dividing a minute evenly.
   */
  @WithDefault("10s")
  Duration accountWindow();

  /**
   * The share of every provider account's limit that only the {@code interactive} tier may use;
   * {@code standard} and {@code batch} together never get more than the rest. 0 to 0.9.
   */
  @WithDefault("0.3")
  double interactiveReserve();

  /** How long a gateway may cache a key lookup ({@code cache_for_ms}): the revocation delay. */
  @WithDefault("30s")
  Duration keyCache();

  /**
   * How often expired leases are swept (their allowance and in-flight use returned); at least 1 s,
   * the scheduler's resolution.
   */
  @WithDefault("1s")
  Duration expirySweep();

  /**
   * How many of a feature's latest successful requests its observed p90 of completion tokens (the
   * reservation for requests without {@code max_tokens}) is computed over. 10 to 100,000.
   */
  @WithDefault("1000")
  int p90Sample();

  /**
   * The largest budget limit accepted, in the dimension's unit: a guard against typos (a limit of
   * 10^15 tokens is a mistake, not a plan). 1 to 10^15.
   */
  @WithDefault("1000000000000")
  long maxLimit();

  /** The most days one {@code GET /usage} query may span. */
  @WithDefault("366")
  int maxUsageDays();
}
