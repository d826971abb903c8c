package dev.spillway.drift.ingest;

import dev.spillway.drift.api.DriftException;
import dev.spillway.quota.ResourceId;

/**
 * Tenant and feature names: the quota function's rule ({@link ResourceId#NAME}), so that a tenant
 * and its features are spelled the same in every function.
 */
public final class Names {

  private Names() {}

  /** Passes for a valid name; otherwise a 400 naming {@code field}. */
  public static void require(String field, String value) {
    if (!ResourceId.isValidName(value)) {
      throw DriftException.invalid(
          "'"
              + field
              + "' must be 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit.");
    }
  }
}
