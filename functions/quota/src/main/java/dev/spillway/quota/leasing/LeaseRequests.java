package dev.spillway.quota.leasing;

import dev.spillway.quota.ResourceId;
import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.lease.LeaseClaim;
import dev.spillway.quota.lease.LeaseRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks a {@link LeaseRequest} before anything is locked; every refusal names the claim. */
public final class LeaseRequests {

  /** The most claims one call may carry. */
  public static final int MAX_CLAIMS = 1000;

  /** The priority tiers. */
  public static final Set<String> TIERS = Set.of("interactive", "standard", "batch");

  private LeaseRequests() {}

  /**
   * The request's claims, parsed.
   *
   * @throws QuotaException (400) naming the first field at fault, e.g. {@code claims[3].want}
   */
  public static List<LeaseService.Parsed> validate(LeaseRequest request) {
    if (request == null) {
      throw QuotaException.invalid("The body must be a lease request.");
    }
    String instance = request.instance();
    if (instance == null || instance.isBlank() || instance.length() > 200) {
      throw QuotaException.invalid("Field 'instance' must be 1 to 200 characters.");
    }
    List<LeaseClaim> claims = request.claims();
    if (claims == null) {
      throw QuotaException.invalid("Field 'claims' is required.");
    }
    if (claims.size() > MAX_CLAIMS) {
      throw QuotaException.invalid(
          "Field 'claims' has "
              + claims.size()
              + " claims; at most "
              + MAX_CLAIMS
              + " are allowed.");
    }
    List<LeaseService.Parsed> parsed = new ArrayList<>(claims.size());
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < claims.size(); i++) {
      LeaseClaim claim = claims.get(i);
      String at = "claims[" + i + "]";
      if (claim == null) {
        throw QuotaException.invalid("Field '" + at + "' is null.");
      }
      ResourceId resource;
      try {
        resource = ResourceId.parse(claim.resource());
      } catch (IllegalArgumentException e) {
        throw QuotaException.invalid("Field '" + at + ".resource': " + e.getMessage());
      }
      if (claim.want() < 0) {
        throw QuotaException.invalid("Field '" + at + ".want' must not be negative.");
      }
      if (claim.window() < 0) {
        throw QuotaException.invalid("Field '" + at + ".window' must not be negative.");
      }
      if (resource.kind() == ResourceId.Kind.ACCOUNT) {
        if (!ResourceId.isValidName(claim.client())) {
          throw QuotaException.invalid(
              "Field '" + at + ".client' must name the tenant for a provider-account budget.");
        }
        if (claim.tier() == null || !TIERS.contains(claim.tier())) {
          throw QuotaException.invalid(
              "Field '" + at + ".tier' must be interactive, standard or batch.");
        }
      } else {
        if (claim.client() != null && !claim.client().isEmpty()) {
          throw QuotaException.invalid(
              "Field '" + at + ".client' must be empty for a tenant budget.");
        }
        if (claim.tier() != null && !TIERS.contains(claim.tier())) {
          throw QuotaException.invalid(
              "Field '" + at + ".tier' must be interactive, standard or batch.");
        }
      }
      String key =
          resource
              + "\u0000"
              + (claim.client() == null ? "" : claim.client())
              + "\u0000"
              + (claim.tier() == null ? "" : claim.tier());
      Integer earlier = seen.put(key, i);
      if (earlier != null) {
        throw QuotaException.invalid(
            "Field '" + at + "' repeats claims[" + earlier + "] (same resource, client and tier).");
      }
      parsed.add(new LeaseService.Parsed(i, claim, resource));
    }
    return parsed;
  }
}
