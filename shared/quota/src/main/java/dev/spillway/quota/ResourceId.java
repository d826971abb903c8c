package dev.spillway.quota;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one budget that can be leased: whose it is and what it limits.
 *
 * <p>Wire form (used as a map key and in the lease protocol):
 *
 * <ul>
 *   <li>{@code tenant/<tenant>/<dimension>} — a tenant's own budget (its children's use counts too)
 *   <li>{@code tenant/<tenant>/feature/<feature>/<dimension>} — one feature of a tenant
 *   <li>{@code account/<account>/<dimension>} — a provider account's upstream limit, shared by
 *       every tenant routed through it
 * </ul>
 *
 * Names are lowercase letters, digits, {@code -}, {@code _} and {@code .}, 1 to 63 characters,
 * starting with a letter or digit: safe in URLs, metrics labels and this id.
 *
 * @param kind whose budget it is
 * @param owner the tenant or provider-account name
 * @param feature the feature name for a feature budget, else null
 * @param dimension what it limits
 */
public record ResourceId(Kind kind, String owner, String feature, Dimension dimension) {

  /** Whose budget. */
  public enum Kind {
    TENANT,
    ACCOUNT
  }

  /** The pattern every tenant, feature and account name must match. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  public ResourceId {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dimension, "dimension");
    requireName("owner", owner);
    if (feature != null) {
      if (kind == Kind.ACCOUNT) {
        throw new IllegalArgumentException("a provider account has no features");
      }
      requireName("feature", feature);
    }
  }

  public static ResourceId tenant(String tenant, Dimension dimension) {
    return new ResourceId(Kind.TENANT, tenant, null, dimension);
  }

  public static ResourceId feature(String tenant, String feature, Dimension dimension) {
    return new ResourceId(Kind.TENANT, tenant, feature, dimension);
  }

  public static ResourceId account(String account, Dimension dimension) {
    return new ResourceId(Kind.ACCOUNT, account, null, dimension);
  }

  /** True when {@code name} is a valid tenant, feature or account name. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Parses the wire form.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code id}
   */
  public static ResourceId parse(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("resource id is empty");
    }
    String[] parts = id.split("/", -1);
    Dimension dimension =
        Dimension.fromWireName(parts[parts.length - 1])
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "resource id '" + id + "' does not end in a known dimension"));
    if (parts.length == 3 && parts[0].equals("tenant")) {
      return tenant(parts[1], dimension);
    }
    if (parts.length == 5 && parts[0].equals("tenant") && parts[2].equals("feature")) {
      return feature(parts[1], parts[3], dimension);
    }
    if (parts.length == 3 && parts[0].equals("account")) {
      return account(parts[1], dimension);
    }
    throw new IllegalArgumentException(
        "resource id '"
            + id
            + "' is not tenant/<t>/<dim>, tenant/<t>/feature/<f>/<dim> or account/<a>/<dim>");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ACCOUNT -> "account/" + owner + "/" + dimension.wireName();
      case TENANT ->
          feature == null
              ? "tenant/" + owner + "/" + dimension.wireName()
              : "tenant/" + owner + "/feature/" + feature + "/" + dimension.wireName();
    };
  }

  private static void requireName(String what, String value) {
    if (!isValidName(value)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
