package dev.spillway.quota.store;

import dev.spillway.quota.api.QuotaError;
import dev.spillway.quota.api.QuotaException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.OptionalLong;

/** Tenants, their tree and their features. Non-blocking; thread-safe. */
@Singleton
public class TenantStore {

  // Serialises parent changes: two concurrent re-parentings could each pass the cycle check alone
  // and close a cycle together.
  private static final long TREE_LOCK = 0x5350_5754_5245_45L;

  private static final String SELECT =
      "select t.name, p.name as parent, t.weight, t.version, t.created_at from tenant t"
          + " left join tenant p on p.id = t.parent_id where t.name = $1";

  private final Pool pool;

  public TenantStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates a tenant; 404 for an unknown parent, 409 when the name is taken. */
  public Uni<Tenant> create(String name, String parent, int weight) {
    return pool.withTransaction(
        conn ->
            parentId(conn, parent)
                .flatMap(
                    parentId ->
                        conn.preparedQuery(
                                "insert into tenant (name, parent_id, weight) values ($1, $2, $3)"
                                    + " on conflict (name) do nothing returning id")
                            .execute(Params.of(name, parentId, weight)))
                .flatMap(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        throw new QuotaException(
                            QuotaError.CONFLICT, "Tenant '" + name + "' already exists.");
                      }
                      return find(conn, name);
                    }));
  }

  /** The tenant, or a 404. */
  public Uni<Tenant> get(String name) {
    return pool.withConnection(conn -> find(conn, name));
  }

  /**
   * Changes a tenant's parent and/or weight.
   *
   * @param parentSet whether {@code parent} was given (null then detaches the tenant)
   * @param weight the new weight, or null to keep it
   * @param expectedVersion the version the caller read (from {@code If-Match}), or empty
   * @return the changed tenant; fails with 404, 412 (version mismatch) or 400 (a cycle)
   */
  public Uni<Tenant> update(
      String name, boolean parentSet, String parent, Integer weight, OptionalLong expectedVersion) {
    return pool.withTransaction(
        conn -> {
          Uni<Void> lock =
              parentSet
                  ? conn.preparedQuery("select pg_advisory_xact_lock($1)")
                      .execute(Tuple.of(TREE_LOCK))
                      .replaceWithVoid()
                  : Uni.createFrom().voidItem();
          return lock.flatMap(
                  v ->
                      conn.preparedQuery(
                              "select id, version from tenant where name = $1 for update")
                          .execute(Tuple.of(name)))
              .flatMap(
                  rows -> {
                    if (rows.rowCount() == 0) {
                      throw QuotaException.notFound("Tenant '" + name + "' does not exist.");
                    }
                    Row row = rows.iterator().next();
                    long id = row.getLong("id");
                    long version = row.getLong("version");
                    if (expectedVersion.isPresent() && expectedVersion.getAsLong() != version) {
                      throw new QuotaException(
                          QuotaError.PRECONDITION_FAILED,
                          "Tenant '"
                              + name
                              + "' changed (version "
                              + version
                              + "); read it again and retry.");
                    }
                    Uni<Long> newParent =
                        parentSet
                            ? parentId(conn, parent).flatMap(p -> refuseCycle(conn, id, p))
                            : Uni.createFrom().nullItem();
                    return newParent.flatMap(
                        p ->
                            conn.preparedQuery(
                                    "update tenant set parent_id = case when $2 then $3 else"
                                        + " parent_id end, weight = coalesce($4, weight),"
                                        + " version = version + 1 where id = $1")
                                .execute(Params.of(id, parentSet, p, weight)));
                  })
              .flatMap(done -> find(conn, name));
        });
  }

  /** Deletes a tenant without children (its features, keys and budgets go with it). */
  public Uni<Void> delete(String name) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "select exists (select 1 from tenant c join tenant t on c.parent_id = t.id"
                        + " where t.name = $1) as has_children")
                .execute(Tuple.of(name))
                .flatMap(
                    rows -> {
                      if (rows.iterator().next().getBoolean("has_children")) {
                        throw new QuotaException(
                            QuotaError.CONFLICT,
                            "Tenant '" + name + "' has child tenants; move or delete them first.");
                      }
                      return conn.preparedQuery("delete from tenant where name = $1")
                          .execute(Tuple.of(name));
                    })
                .map(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        throw QuotaException.notFound("Tenant '" + name + "' does not exist.");
                      }
                      return null;
                    }));
  }

  /** Adds a feature to a tenant; 404 for an unknown tenant, 409 when it exists. */
  public Uni<Void> createFeature(String tenant, String feature) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "insert into feature (tenant_id, name) select id, $2 from tenant where name ="
                        + " $1 on conflict (tenant_id, name) do nothing returning id")
                .execute(Tuple.of(tenant, feature))
                .flatMap(
                    rows -> {
                      if (rows.rowCount() == 1) {
                        return Uni.createFrom().voidItem();
                      }
                      return find(conn, tenant)
                          .map(
                              t -> {
                                throw new QuotaException(
                                    QuotaError.CONFLICT,
                                    "Feature '" + feature + "' of tenant '" + tenant + "' exists.");
                              });
                    }));
  }

  private static Uni<Tenant> find(SqlConnection conn, String name) {
    return conn.preparedQuery(SELECT)
        .execute(Tuple.of(name))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound("Tenant '" + name + "' does not exist.");
              }
              Row row = rows.iterator().next();
              return new Tenant(
                  row.getString("name"),
                  row.getString("parent"),
                  row.getInteger("weight"),
                  row.getLong("version"),
                  row.getOffsetDateTime("created_at"));
            });
  }

  private static Uni<Long> parentId(SqlConnection conn, String parent) {
    if (parent == null) {
      return Uni.createFrom().nullItem();
    }
    return conn.preparedQuery("select id from tenant where name = $1")
        .execute(Tuple.of(parent))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw QuotaException.notFound("Parent tenant '" + parent + "' does not exist.");
              }
              return rows.iterator().next().getLong("id");
            });
  }

  private static Uni<Long> refuseCycle(SqlConnection conn, long id, Long parentId) {
    if (parentId == null) {
      return Uni.createFrom().nullItem();
    }
    return conn.preparedQuery(
            "with recursive up (id, parent_id) as (select id, parent_id from tenant where id = $1"
                + " union all select t.id, t.parent_id from tenant t join up on t.id ="
                + " up.parent_id) select exists (select 1 from up where id = $2) as cycle")
        .execute(Tuple.of(parentId, id))
        .map(
            rows -> {
              if (rows.iterator().next().getBoolean("cycle")) {
                throw QuotaException.invalid(
                    "Field 'parent': the tenant would become its own ancestor.");
              }
              return parentId;
            });
  }
}
