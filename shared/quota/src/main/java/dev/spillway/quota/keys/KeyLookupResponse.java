package dev.spillway.quota.keys;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Who holds a key and every budget a request made with it counts against. An unknown or revoked key
 * gets a 404 instead.
 *
 * @param tenant the key's tenant
 * @param feature the key's feature
 * @param tier {@code interactive}, {@code standard} or {@code batch}
 * @param ancestors the tenant's parent, its parent, … up to the root (empty for a root tenant)
 * @param budgets the feature's budgets, the tenant's and every ancestor's: a request must fit in
 *     all of them
 * @param expectedOutputTokens the feature's observed p90 of completion tokens, which admission
 *     reserves for a request that sets no {@code max_tokens}; null until the feature has history
 * @param cacheForMs how long the gateway may reuse this answer (a revoked key stops working within
 *     it)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyLookupResponse(
    String tenant,
    String feature,
    String tier,
    List<String> ancestors,
    List<Budget> budgets,
    Integer expectedOutputTokens,
    long cacheForMs) {

  /**
   * @param resource the budget's {@link dev.spillway.quota.ResourceId} wire form
   * @param limit its limit per window (or in flight)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Budget(String resource, long limit) {}
}
