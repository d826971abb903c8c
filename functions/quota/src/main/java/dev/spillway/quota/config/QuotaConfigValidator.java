package dev.spillway.quota.config;

import dev.spillway.quota.auth.KeyHashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks what {@link QuotaConfig}'s types cannot. Every problem names its configuration key, and
 * all are reported at once so an operator fixes them in one go.
 */
public final class QuotaConfigValidator {

  /** The problems found; empty when the configuration is usable. */
  public List<String> problems(QuotaConfig config) {
    List<String> problems = new ArrayList<>();
    hash(problems, "quota.admin-key-hash", config.adminKeyHash());
    hash(problems, "quota.service-key-hash", config.serviceKeyHash());
    Duration ttl = config.leaseTtl();
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
      problems.add("quota.lease-ttl must be between 1s and 10m");
    }
    Duration refresh = config.refreshInterval();
    if (refresh.toMillis() < 10 || refresh.compareTo(ttl) >= 0) {
      problems.add("quota.refresh-interval must be at least 10ms and shorter than quota.lease-ttl");
    }
    long window = config.accountWindow().toMillis();
    if (window < 100 || window > 60_000 || 60_000 % window != 0) {
      problems.add("quota.account-window must be 100ms to 1m and divide a minute evenly");
    }
    double reserve = config.interactiveReserve();
    if (!(reserve >= 0 && reserve <= 0.9)) {
      problems.add("quota.interactive-reserve must be between 0 and 0.9");
    }
    if (config.keyCache().isNegative() || config.keyCache().compareTo(Duration.ofHours(1)) > 0) {
      problems.add("quota.key-cache must be between 0s and 1h");
    }
    // The scheduler's interval trigger has a resolution of one second.
    if (config.expirySweep().toMillis() < 1000) {
      problems.add("quota.expiry-sweep must be at least 1s");
    }
    if (config.p90Sample() < 10 || config.p90Sample() > 100_000) {
      problems.add("quota.p90-sample must be between 10 and 100000");
    }
    if (config.maxLimit() < 1 || config.maxLimit() > 1_000_000_000_000_000L) {
      problems.add("quota.max-limit must be between 1 and 10^15");
    }
    if (config.maxUsageDays() < 1 || config.maxUsageDays() > 3660) {
      problems.add("quota.max-usage-days must be between 1 and 3660");
    }
    return problems;
  }

  private static void hash(List<String> problems, String key, Optional<String> value) {
    if (value.isEmpty() || value.get().isBlank()) {
      problems.add(key + " is required: the lowercase hex SHA-256 of the key");
    } else if (!KeyHashes.isHash(value.get())) {
      problems.add(
          key + " is not a lowercase hex SHA-256: configure the hash of a key, never the key");
    }
  }
}
