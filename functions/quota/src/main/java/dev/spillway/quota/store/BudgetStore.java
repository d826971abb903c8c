package dev.spillway.quota.store;

import dev.spillway.quota.ResourceId;
import dev.spillway.quota.api.QuotaError;
import dev.spillway.quota.api.QuotaException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.OptionalLong;

/** Budgets and provider accounts. Non-blocking; thread-safe. */
@Singleton
public class BudgetStore {

  /**
   * The outcome of a put.
   *
   * @param created true when the budget did not exist before
   */
  public record Put(Budget budget, boolean created) {}

  private final Pool pool;

  public BudgetStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates a provider account; 409 when it exists. */
  public Uni<Void> createAccount(String name) {
    return pool.preparedQuery(
            "insert into provider_account (name) values ($1) on conflict (name) do nothing")
        .execute(Tuple.of(name))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw new QuotaException(
                    QuotaError.CONFLICT, "Provider account '" + name + "' already exists.");
              }
              return null;
            });
  }

  /**
   * Sets a budget's limit, creating the budget if needed.
   *
   * @param expectedVersion the version the caller read ({@code If-Match}); then the budget must
   *     exist at that version, else 412
   * @return the stored budget; fails with 404 when its tenant, feature or account does not exist
   */
  public Uni<Put> put(ResourceId id, long limit, OptionalLong expectedVersion) {
    return pool.withTransaction(
        conn ->
            owner(conn, id)
                .flatMap(
                    owner -> {
                      if (expectedVersion.isPresent()) {
                        return conn.preparedQuery(
                                "update budget set limit_value = $2, version = version + 1,"
                                    + " updated_at = now() where resource = $1 and version = $3"
                                    + " returning resource, limit_value, version, updated_at")
                            .execute(Tuple.of(id.toString(), limit, expectedVersion.getAsLong()))
                            .flatMap(
                                rows -> {
                                  if (rows.rowCount() == 1) {
                                    return Uni.createFrom()
                                        .item(new Put(budget(rows.iterator().next()), false));
                                  }
                                  return find(conn, id)
                                      .map(
                                          current -> {
                                            throw new QuotaException(
                                                QuotaError.PRECONDITION_FAILED,
                                                "Budget "
                                                    + id
                                                    + " changed (version "
                                                    + current.version()
                                                    + "); read it again and retry.");
                                          });
                                });
                      }
                      return conn.preparedQuery(
                              "insert into budget (resource, tenant_id, feature_id, account_id,"
                                  + " dimension, limit_value) values ($1, $2, $3, $4, $5, $6) on"
                                  + " conflict (resource) do update set limit_value ="
                                  + " excluded.limit_value, version = budget.version + 1,"
                                  + " updated_at = now() returning resource, limit_value, version,"
                                  + " updated_at, (xmax = 0) as created")
                          .execute(
                              Params.of(
                                  id.toString(),
                                  owner[0],
                                  owner[1],
                                  owner[2],
                                  id.dimension().wireName(),
                                  limit))
                          .map(
                              rows -> {
                                Row row = rows.iterator().next();
                                return new Put(budget(row), row.getBoolean("created"));
                              });
                    }));
  }

  /** The budget, or a 404. */
  public Uni<Budget> get(ResourceId id) {
    return pool.withConnection(conn -> find(conn, id));
  }

  /** Deletes a budget (its windows and leases go with it); 404 when it does not exist. */
  public Uni<Void> delete(ResourceId id) {
    return pool.preparedQuery("delete from budget where resource = $1")
        .execute(Tuple.of(id.toString()))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound("No budget " + id + ".");
              }
              return null;
            });
  }

  private static Uni<Budget> find(SqlConnection conn, ResourceId id) {
    return conn.preparedQuery(
            "select resource, limit_value, version, updated_at from budget where resource = $1")
        .execute(Tuple.of(id.toString()))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound("No budget " + id + ".");
              }
              return budget(rows.iterator().next());
            });
  }

  /** {tenant_id, feature_id, account_id} of the budget's owner, or a 404 naming what is missing. */
  private static Uni<Long[]> owner(SqlConnection conn, ResourceId id) {
    if (id.kind() == ResourceId.Kind.ACCOUNT) {
      return conn.preparedQuery("select id from provider_account where name = $1")
          .execute(Tuple.of(id.owner()))
          .map(
              rows -> {
                if (rows.rowCount() == 0) {
                  throw QuotaException.notFound(
                      "Provider account '" + id.owner() + "' does not exist.");
                }
                return new Long[] {null, null, rows.iterator().next().getLong("id")};
              });
    }
    return conn.preparedQuery(
            "select t.id, f.id as feature_id from tenant t left join feature f on f.tenant_id ="
                + " t.id and f.name = $2 where t.name = $1")
        .execute(Params.of(id.owner(), id.feature()))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound("Tenant '" + id.owner() + "' does not exist.");
              }
              Row row = rows.iterator().next();
              Long feature = row.getLong("feature_id");
              if (id.feature() != null && feature == null) {
                throw QuotaException.notFound(
                    "Tenant '" + id.owner() + "' has no feature '" + id.feature() + "'.");
              }
              return new Long[] {row.getLong("id"), id.feature() == null ? null : feature, null};
            });
  }

  private static Budget budget(Row row) {
    return new Budget(
        row.getString("resource"),
        row.getLong("limit_value"),
        row.getLong("version"),
        row.getOffsetDateTime("updated_at"));
  }
}
