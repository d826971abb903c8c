package dev.spillway.gateway.quota;

import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.quota.keys.KeyLookupResponse;
import java.util.Locale;

/**
 * A caller as the quota function resolved its key: who it is, and every budget its requests count
 * against.
 *
 * @param caller tenant, feature and tier
 * @param key the quota function's answer (budgets, ancestors, expected output tokens)
 */
public record QuotaCaller(Caller caller, KeyLookupResponse key) {

  static QuotaCaller of(KeyLookupResponse key) {
    PriorityTier tier;
    try {
      tier = PriorityTier.valueOf(key.tier().toUpperCase(Locale.ROOT));
    } catch (RuntimeException unknown) {
      tier = PriorityTier.STANDARD;
    }
    return new QuotaCaller(new Caller(key.tenant(), key.feature(), tier), key);
  }
}
