package dev.spillway.quota.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QuotaConfigValidatorTest {

  private static final String HASH =
      "ae758c5f9aaba1b5ea31b9d3dea2fdd0f8200b08160cc43e3403c0b334999d77";

  /** A configuration with the defaults, overridable per test. */
  private record Config(
      Optional<String> adminKeyHash,
      Optional<String> serviceKeyHash,
      Duration leaseTtl,
      Duration refreshInterval,
      Duration accountWindow,
      double interactiveReserve)
      implements QuotaConfig {

    static Config valid() {
      return new Config(
          Optional.of(HASH),
          Optional.of(HASH),
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          0.3);
    }

    @Override
    public Duration keyCache() {
      return Duration.ofSeconds(30);
    }

    @Override
    public Duration expirySweep() {
      return Duration.ofSeconds(1);
    }

    @Override
    public int p90Sample() {
      return 1000;
    }

    @Override
    public long maxLimit() {
      return 1_000_000_000_000L;
    }

    @Override
    public int maxUsageDays() {
      return 366;
    }
  }

  private final QuotaConfigValidator validator = new QuotaConfigValidator();

  @Test
  void theDefaultsWithBothHashesPass() {
    assertEquals(List.of(), validator.problems(Config.valid()));
  }

  @Test
  void missingKeyHashesAreNamed() {
    Config c = Config.valid();
    List<String> problems =
        validator.problems(
            new Config(
                Optional.empty(),
                Optional.of(""),
                c.leaseTtl(),
                c.refreshInterval(),
                c.accountWindow(),
                c.interactiveReserve()));
    assertEquals(2, problems.size());
    assertTrue(problems.get(0).startsWith("quota.admin-key-hash is required"));
    assertTrue(problems.get(1).startsWith("quota.service-key-hash is required"));
  }

  @Test
  void aPlainKeyInsteadOfItsHashIsRefused() {
    Config c = Config.valid();
    List<String> problems =
        validator.problems(
            new Config(
                Optional.of("sk-spillway-admin-local-dev"),
                c.serviceKeyHash(),
                c.leaseTtl(),
                c.refreshInterval(),
                c.accountWindow(),
                c.interactiveReserve()));
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).contains("quota.admin-key-hash is not a lowercase hex SHA-256"));
  }

  @Test
  void rangesAreCheckedWithTheKeyName() {
    List<String> problems =
        validator.problems(
            new Config(
                Optional.of(HASH),
                Optional.of(HASH),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofMillis(700),
                0.95));
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("quota.refresh-interval"));
    assertTrue(problems.get(1).startsWith("quota.account-window"));
    assertTrue(problems.get(2).startsWith("quota.interactive-reserve"));
  }
}
