package dev.spillway.quota.store;

import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.keys.KeyLookupResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** API keys, stored by SHA-256 only. Non-blocking; thread-safe. */
@Singleton
public class KeyStore {

  private static final String COLUMNS =
      "k.id, t.name as tenant, f.name as feature, k.tier, k.prefix, k.created_at, k.revoked_at";

  private final Pool pool;

  public KeyStore(Pool pool) {
    this.pool = pool;
  }

  /** Stores a key's hash; 404 when the tenant or its feature does not exist. */
  public Uni<ApiKey> create(
      String tenant, String feature, String tier, String hash, String prefix) {
    return pool.preparedQuery(
            "with k as (insert into api_key (tenant_id, feature_id, key_hash, prefix, tier) select"
                + " t.id, f.id, $3, $4, $5 from tenant t join feature f on f.tenant_id = t.id"
                + " where t.name = $1 and f.name = $2 returning *) select "
                + COLUMNS
                + " from k join tenant t on t.id = k.tenant_id join feature f on f.id ="
                + " k.feature_id")
        .execute(Params.of(tenant, feature, hash, prefix, tier))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound(
                    "Tenant '"
                        + tenant
                        + "' has no feature '"
                        + feature
                        + "' (or does not exist).");
              }
              return key(rows.iterator().next());
            });
  }

  /** A tenant's keys, newest first, revoked ones included. */
  public Uni<List<ApiKey>> list(String tenant) {
    return pool.preparedQuery(
            "select "
                + COLUMNS
                + " from api_key k join tenant t on t.id = k.tenant_id join feature f on f.id ="
                + " k.feature_id where t.name = $1 order by k.created_at desc, k.id")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              List<ApiKey> keys = new ArrayList<>();
              rows.forEach(row -> keys.add(key(row)));
              return keys;
            });
  }

  /** Revokes a key (again: no change); 404 when there is no such key. */
  public Uni<Void> revoke(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom().failure(QuotaException.notFound("No key '" + id + "'."));
    }
    return pool.preparedQuery(
            "update api_key set revoked_at = coalesce(revoked_at, now()) where id = $1")
        .execute(Tuple.of(uuid))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound("No key '" + id + "'.");
              }
              return null;
            });
  }

  /** The tenant of a live (unrevoked) key, or null. */
  public Uni<String> tenantOfLiveKey(String hash) {
    return pool.preparedQuery(
            "select t.name from api_key k join tenant t on t.id = k.tenant_id where k.key_hash ="
                + " $1 and k.revoked_at is null")
        .execute(Tuple.of(hash))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("name"));
  }

  /**
   * Who holds a live key and every budget its requests count against: its feature's, its tenant's
   * and every ancestor's (nearest first). Null for an unknown or revoked key.
   *
   * @param p90Sample how many recent successful requests the feature's p90 is taken over
   */
  public Uni<KeyLookupResponse> lookup(String hash, int p90Sample, long cacheForMs) {
    return pool.withConnection(
        conn ->
            conn.preparedQuery(
                    "select k.tier, k.tenant_id, k.feature_id, t.name as tenant, f.name as feature"
                        + " from api_key k join tenant t on t.id = k.tenant_id join feature f on"
                        + " f.id = k.feature_id where k.key_hash = $1 and k.revoked_at is null")
                .execute(Tuple.of(hash))
                .flatMap(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Uni.createFrom().nullItem();
                      }
                      Row key = rows.iterator().next();
                      String tenant = key.getString("tenant");
                      String feature = key.getString("feature");
                      return conn.preparedQuery(
                              "with recursive chain (id, name, parent_id, depth) as (select id,"
                                  + " name, parent_id, 0 from tenant where id = $1 union all"
                                  + " select t.id, t.name, t.parent_id, c.depth + 1 from tenant t"
                                  + " join chain c on t.id = c.parent_id where c.depth < 64)"
                                  + " select c.name, c.depth, b.resource, b.limit_value from chain"
                                  + " c left join budget b on b.tenant_id = c.id and b.feature_id"
                                  + " is null union all select null, -1, b.resource,"
                                  + " b.limit_value from budget b where b.feature_id = $2 order by"
                                  + " 2, 3")
                          .execute(Tuple.of(key.getLong("tenant_id"), key.getLong("feature_id")))
                          .flatMap(
                              chain -> {
                                List<String> ancestors = new ArrayList<>();
                                List<KeyLookupResponse.Budget> budgets = new ArrayList<>();
                                for (Row row : chain) {
                                  int depth = row.getInteger("depth");
                                  String name = row.getString("name");
                                  if (depth > 0 && !ancestors.contains(name)) {
                                    ancestors.add(name);
                                  }
                                  if (row.getString("resource") != null) {
                                    budgets.add(
                                        new KeyLookupResponse.Budget(
                                            row.getString("resource"), row.getLong("limit_value")));
                                  }
                                }
                                return conn.preparedQuery(
                                        "select percentile_disc(0.9) within group (order by"
                                            + " completion_tokens) as p90 from (select"
                                            + " completion_tokens from usage_event where tenant ="
                                            + " $1 and feature = $2 and outcome = 'success' order"
                                            + " by occurred_at desc limit $3) recent")
                                    .execute(Tuple.of(tenant, feature, p90Sample))
                                    .map(
                                        p90 ->
                                            new KeyLookupResponse(
                                                tenant,
                                                feature,
                                                key.getString("tier"),
                                                ancestors,
                                                budgets,
                                                p90.iterator().next().getInteger("p90"),
                                                cacheForMs));
                              });
                    }));
  }

  private static ApiKey key(Row row) {
    return new ApiKey(
        row.getUUID("id").toString(),
        row.getString("tenant"),
        row.getString("feature"),
        row.getString("tier"),
        row.getString("prefix"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("revoked_at"));
  }
}
