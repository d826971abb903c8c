package dev.spillway.gateway.it;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The gateway as it runs in production (retries, hedging, breakers on), with breakers that decide
 * fast enough for a test: a window of 10 attempts and a 1-second open delay. Every provider's
 * concurrency is fixed at 4 with a queue of 4, so that shedding can be shown with a handful of
 * requests.
 */
public class ResilienceProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.ofEntries(
        Map.entry("gateway.retry.max-attempts-per-target", "2"),
        Map.entry("gateway.hedge.mode", "adaptive"),
        Map.entry("gateway.breaker.request-volume", "10"),
        Map.entry("gateway.breaker.failure-ratio", "0.5"),
        Map.entry("gateway.breaker.delay", "1s"),
        Map.entry("gateway.breaker.success-threshold", "1"),
        Map.entry("gateway.concurrency.initial-limit", "4"),
        Map.entry("gateway.concurrency.min-limit", "4"),
        Map.entry("gateway.concurrency.max-limit", "4"),
        Map.entry("gateway.concurrency.max-queue", "4"),
        Map.entry("gateway.concurrency.max-queue-wait", "3s"));
  }
}
