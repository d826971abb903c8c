package dev.spillway.gateway.drift;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fraction of each tenant's and feature's queries that is sampled for drift scoring: the most
 * specific of {@code "<tenant>/<feature>"}, {@code "<tenant>/*"} and the default. Rates apply to
 * the caller's own tenant, not to its ancestors. Immutable and thread-safe; a lookup allocates
 * nothing.
 */
public final class SampleRates {

  /** The feature part of a scope that covers every feature of a tenant. */
  public static final String ANY_FEATURE = "*";

  private static final SampleRates NONE = new SampleRates(0, Map.of(), false);

  private final double defaultRate;
  private final Map<String, TenantRates> tenants;
  private final boolean samplesAnything;

  private SampleRates(double defaultRate, Map<String, TenantRates> tenants, boolean any) {
    this.defaultRate = defaultRate;
    this.tenants = tenants;
    this.samplesAnything = any;
  }

  /** Nothing is sampled. */
  public static SampleRates none() {
    return NONE;
  }

  /**
   * @param defaultRate the rate of every tenant and feature without an override, in [0, 1]
   * @param byScope overrides keyed {@code "<tenant>/<feature>"} or {@code "<tenant>/*"}, in [0, 1]
   * @throws IllegalArgumentException naming the first rate outside [0, 1] or malformed scope
   */
  public static SampleRates of(double defaultRate, Map<String, Double> byScope) {
    requireRate("the default rate", defaultRate);
    Map<String, Map<String, Double>> features = new HashMap<>();
    Map<String, Double> wildcards = new HashMap<>();
    boolean any = defaultRate > 0;
    for (Map.Entry<String, Double> entry : byScope.entrySet()) {
      String scope = entry.getKey();
      double rate = entry.getValue();
      if (!isValidScope(scope)) {
        throw new IllegalArgumentException(
            "scope '" + scope + "' is not \"<tenant>/<feature>\" or \"<tenant>/*\"");
      }
      requireRate("the rate of '" + scope + "'", rate);
      any |= rate > 0;
      int slash = scope.indexOf('/');
      String tenant = scope.substring(0, slash);
      String feature = scope.substring(slash + 1);
      if (feature.equals(ANY_FEATURE)) {
        wildcards.put(tenant, rate);
      } else {
        features.computeIfAbsent(tenant, t -> new HashMap<>()).put(feature, rate);
      }
    }
    Map<String, TenantRates> tenants = new HashMap<>();
    for (String tenant : union(features.keySet(), wildcards.keySet())) {
      tenants.put(
          tenant,
          new TenantRates(
              Map.copyOf(features.getOrDefault(tenant, Map.of())),
              wildcards.getOrDefault(tenant, defaultRate)));
    }
    return new SampleRates(defaultRate, Map.copyOf(tenants), any);
  }

  /** The rate that applies to a request of {@code tenant}'s {@code feature}, in [0, 1]. */
  public double rateFor(String tenant, String feature) {
    TenantRates own = tenants.get(tenant);
    if (own == null) {
      return defaultRate;
    }
    Double exact = own.features().get(feature);
    return exact != null ? exact : own.anyFeature();
  }

  /** False when every rate is 0: the sampler can be left out altogether. */
  public boolean samplesAnything() {
    return samplesAnything;
  }

  /**
   * True for {@code "<tenant>/<feature>"} and {@code "<tenant>/*"}: one slash, a tenant that is
   * neither empty nor a wildcard, and a feature that is not empty.
   */
  public static boolean isValidScope(String scope) {
    int slash = scope.indexOf('/');
    return slash > 0
        && slash < scope.length() - 1
        && scope.indexOf('/', slash + 1) < 0
        && scope.lastIndexOf('*', slash) < 0;
  }

  private static void requireRate(String what, double rate) {
    // NaN fails both comparisons.
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, got " + rate);
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * @param features the tenant's own features' rates
   * @param anyFeature the rate of its other features: its wildcard, else the default
   */
  private record TenantRates(Map<String, Double> features, double anyFeature) {}
}
