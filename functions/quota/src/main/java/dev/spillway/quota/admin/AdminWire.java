package dev.spillway.quota.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

/** The admin API's request and response bodies (snake_case JSON). */
public final class AdminWire {

  private AdminWire() {}

  /** {@code POST /admin/tenants}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TenantCreateRequest(String name, String parent, Integer weight) {}

  /**
   * {@code PATCH /admin/tenants/{t}}: only the fields present change; {@code "parent": null}
   * detaches the tenant from its parent.
   */
  public static final class TenantPatchRequest {
    private String parent;
    private boolean parentSet;
    private Integer weight;

    @JsonProperty("parent")
    public void setParent(String parent) {
      this.parent = parent;
      this.parentSet = true;
    }

    @JsonProperty("weight")
    public void setWeight(Integer weight) {
      this.weight = weight;
    }

    public String parent() {
      return parent;
    }

    public boolean parentSet() {
      return parentSet;
    }

    public Integer weight() {
      return weight;
    }
  }

  /** A tenant; {@code version} is also its ETag. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record TenantResponse(
      String name, String parent, int weight, long version, OffsetDateTime createdAt) {}

  /** {@code POST /admin/tenants/{t}/features} and {@code POST /admin/accounts}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record NameRequest(String name) {}

  /** A feature or a provider account. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record NamedResponse(String tenant, String name) {}

  /** {@code POST /admin/tenants/{t}/keys}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record KeyCreateRequest(String feature, String tier) {}

  /**
   * A key as listed: never the key itself.
   *
   * @param prefix the key's first characters, for people to recognise it
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record KeyResponse(
      String id,
      String tenant,
      String feature,
      String tier,
      String prefix,
      OffsetDateTime createdAt,
      OffsetDateTime revokedAt) {}

  /**
   * A new key: the only time {@code key} is shown.
   *
   * @param key the plain key; store it now, it cannot be shown again
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record KeyCreatedResponse(
      String id,
      String key,
      String tenant,
      String feature,
      String tier,
      String prefix,
      OffsetDateTime createdAt) {}

  /** {@code PUT .../budgets/{dimension}}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record BudgetRequest(Long limit) {}

  /** A budget; {@code version} is also its ETag. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record BudgetResponse(
      String resource, String dimension, long limit, long version, OffsetDateTime updatedAt) {}
}
