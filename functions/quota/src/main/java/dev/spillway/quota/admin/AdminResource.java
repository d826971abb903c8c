package dev.spillway.quota.admin;

import dev.spillway.quota.Dimension;
import dev.spillway.quota.ResourceId;
import dev.spillway.quota.admin.AdminWire.BudgetRequest;
import dev.spillway.quota.admin.AdminWire.BudgetResponse;
import dev.spillway.quota.admin.AdminWire.KeyCreateRequest;
import dev.spillway.quota.admin.AdminWire.KeyCreatedResponse;
import dev.spillway.quota.admin.AdminWire.KeyResponse;
import dev.spillway.quota.admin.AdminWire.NameRequest;
import dev.spillway.quota.admin.AdminWire.NamedResponse;
import dev.spillway.quota.admin.AdminWire.TenantCreateRequest;
import dev.spillway.quota.admin.AdminWire.TenantPatchRequest;
import dev.spillway.quota.admin.AdminWire.TenantResponse;
import dev.spillway.quota.api.JsonBodies;
import dev.spillway.quota.api.QuotaError;
import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.auth.Authenticator;
import dev.spillway.quota.auth.KeyHashes;
import dev.spillway.quota.config.QuotaConfig;
import dev.spillway.quota.leasing.LeaseRequests;
import dev.spillway.quota.store.ApiKey;
import dev.spillway.quota.store.Budget;
import dev.spillway.quota.store.BudgetStore;
import dev.spillway.quota.store.KeyStore;
import dev.spillway.quota.store.Tenant;
import dev.spillway.quota.store.TenantStore;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The admin API (admin key): tenants, features, keys, budgets, provider accounts. A thin adapter:
 * it checks the caller and the input, the stores do the rest.
 */
@Path("/admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

  /** Dimensions a provider account's budget may limit: its upstream's rate limits. */
  private static final Set<Dimension> ACCOUNT_DIMENSIONS =
      Set.of(Dimension.TOKENS_PER_MINUTE, Dimension.REQUESTS_PER_MINUTE);

  private final Authenticator auth;
  private final TenantStore tenants;
  private final KeyStore keys;
  private final BudgetStore budgets;
  private final QuotaConfig config;
  private final JsonBodies bodies;

  public AdminResource(
      Authenticator auth,
      TenantStore tenants,
      KeyStore keys,
      BudgetStore budgets,
      QuotaConfig config,
      JsonBodies bodies) {
    this.auth = auth;
    this.bodies = bodies;
    this.tenants = tenants;
    this.keys = keys;
    this.budgets = budgets;
    this.config = config;
  }

  // --- tenants ---------------------------------------------------------------------------------

  @POST
  @Path("tenants")
  public Uni<Response> createTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    TenantCreateRequest body = bodies.read(raw, TenantCreateRequest.class);
    if (body == null) {
      throw QuotaException.invalid("The body must be a JSON object with 'name'.");
    }
    name("name", body.name());
    if (body.parent() != null) {
      name("parent", body.parent());
    }
    int weight = weight(body.weight() == null ? 1 : body.weight());
    return tenants
        .create(body.name(), body.parent(), weight)
        .map(
            t ->
                Response.created(URI.create("/admin/tenants/" + t.name()))
                    .tag(etag(t.version()))
                    .entity(tenant(t))
                    .build());
  }

  @GET
  @Path("tenants/{tenant}")
  public Uni<Response> getTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String name) {
    auth.requireAdmin(authorization);
    return tenants.get(name).map(t -> Response.ok(tenant(t)).tag(etag(t.version())).build());
  }

  @PATCH
  @Path("tenants/{tenant}")
  public Uni<Response> patchTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @PathParam("tenant") String name,
      @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    TenantPatchRequest body = bodies.read(raw, TenantPatchRequest.class);
    if (body == null) {
      throw QuotaException.invalid("The body must be a JSON object with 'parent' and/or 'weight'.");
    }
    if (body.parentSet() && body.parent() != null) {
      name("parent", body.parent());
      if (body.parent().equals(name)) {
        throw QuotaException.invalid("Field 'parent': a tenant cannot be its own parent.");
      }
    }
    Integer weight = body.weight() == null ? null : weight(body.weight());
    return tenants
        .update(name, body.parentSet(), body.parent(), weight, version(ifMatch))
        .map(t -> Response.ok(tenant(t)).tag(etag(t.version())).build());
  }

  @DELETE
  @Path("tenants/{tenant}")
  public Uni<Response> deleteTenant(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String name) {
    auth.requireAdmin(authorization);
    return tenants.delete(name).map(v -> Response.noContent().build());
  }

  @POST
  @Path("tenants/{tenant}/features")
  public Uni<Response> createFeature(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    NameRequest body = bodies.read(raw, NameRequest.class);
    if (body == null) {
      throw QuotaException.invalid("The body must be a JSON object with 'name'.");
    }
    name("name", body.name());
    return tenants
        .createFeature(tenant, body.name())
        .map(
            v ->
                Response.created(
                        URI.create("/admin/tenants/" + tenant + "/features/" + body.name()))
                    .entity(new NamedResponse(tenant, body.name()))
                    .build());
  }

  // --- keys ------------------------------------------------------------------------------------

  @POST
  @Path("tenants/{tenant}/keys")
  public Uni<Response> createKey(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    KeyCreateRequest body = bodies.read(raw, KeyCreateRequest.class);
    if (body == null) {
      throw QuotaException.invalid("The body must be a JSON object with 'feature' and 'tier'.");
    }
    name("feature", body.feature());
    if (body.tier() == null || !LeaseRequests.TIERS.contains(body.tier())) {
      throw QuotaException.invalid("Field 'tier' must be interactive, standard or batch.");
    }
    String key = KeyHashes.newKey();
    return keys.create(
            tenant,
            body.feature(),
            body.tier(),
            KeyHashes.sha256(key),
            KeyHashes.displayPrefix(key))
        .map(
            k ->
                Response.created(URI.create("/admin/keys/" + k.id()))
                    .entity(
                        new KeyCreatedResponse(
                            k.id(),
                            key,
                            k.tenant(),
                            k.feature(),
                            k.tier(),
                            k.prefix(),
                            k.createdAt()))
                    .build());
  }

  @GET
  @Path("tenants/{tenant}/keys")
  public Uni<List<KeyResponse>> listKeys(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant) {
    auth.requireAdmin(authorization);
    return tenants
        .get(tenant)
        .flatMap(t -> keys.list(tenant))
        .map(list -> list.stream().map(AdminResource::key).toList());
  }

  @DELETE
  @Path("keys/{id}")
  public Uni<Response> revokeKey(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
    auth.requireAdmin(authorization);
    return keys.revoke(id).map(v -> Response.noContent().build());
  }

  // --- provider accounts -----------------------------------------------------------------------

  @POST
  @Path("accounts")
  public Uni<Response> createAccount(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    NameRequest body = bodies.read(raw, NameRequest.class);
    if (body == null) {
      throw QuotaException.invalid("The body must be a JSON object with 'name'.");
    }
    name("name", body.name());
    return budgets
        .createAccount(body.name())
        .map(
            v ->
                Response.created(URI.create("/admin/accounts/" + body.name()))
                    .entity(new NamedResponse(null, body.name()))
                    .build());
  }

  // --- budgets ---------------------------------------------------------------------------------

  @PUT
  @Path("tenants/{tenant}/budgets/{dimension}")
  public Uni<Response> putTenantBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @PathParam("tenant") String tenant,
      @PathParam("dimension") String dimension,
      @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    BudgetRequest body = bodies.read(raw, BudgetRequest.class);
    return put(ResourceId.tenant(path("tenant", tenant), dimension(dimension)), ifMatch, body);
  }

  @GET
  @Path("tenants/{tenant}/budgets/{dimension}")
  public Uni<Response> getTenantBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("dimension") String dimension) {
    auth.requireAdmin(authorization);
    return get(ResourceId.tenant(path("tenant", tenant), dimension(dimension)));
  }

  @DELETE
  @Path("tenants/{tenant}/budgets/{dimension}")
  public Uni<Response> deleteTenantBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("dimension") String dimension) {
    auth.requireAdmin(authorization);
    return delete(ResourceId.tenant(path("tenant", tenant), dimension(dimension)));
  }

  @PUT
  @Path("tenants/{tenant}/features/{feature}/budgets/{dimension}")
  public Uni<Response> putFeatureBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @PathParam("dimension") String dimension,
      @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    BudgetRequest body = bodies.read(raw, BudgetRequest.class);
    return put(
        ResourceId.feature(path("tenant", tenant), path("feature", feature), dimension(dimension)),
        ifMatch,
        body);
  }

  @GET
  @Path("tenants/{tenant}/features/{feature}/budgets/{dimension}")
  public Uni<Response> getFeatureBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @PathParam("dimension") String dimension) {
    auth.requireAdmin(authorization);
    return get(
        ResourceId.feature(path("tenant", tenant), path("feature", feature), dimension(dimension)));
  }

  @DELETE
  @Path("tenants/{tenant}/features/{feature}/budgets/{dimension}")
  public Uni<Response> deleteFeatureBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("tenant") String tenant,
      @PathParam("feature") String feature,
      @PathParam("dimension") String dimension) {
    auth.requireAdmin(authorization);
    return delete(
        ResourceId.feature(path("tenant", tenant), path("feature", feature), dimension(dimension)));
  }

  @PUT
  @Path("accounts/{account}/budgets/{dimension}")
  public Uni<Response> putAccountBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
      @PathParam("account") String account,
      @PathParam("dimension") String dimension,
      @Context RoutingContext raw) {
    auth.requireAdmin(authorization);
    BudgetRequest body = bodies.read(raw, BudgetRequest.class);
    return put(accountBudget(account, dimension), ifMatch, body);
  }

  @GET
  @Path("accounts/{account}/budgets/{dimension}")
  public Uni<Response> getAccountBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("account") String account,
      @PathParam("dimension") String dimension) {
    auth.requireAdmin(authorization);
    return get(accountBudget(account, dimension));
  }

  @DELETE
  @Path("accounts/{account}/budgets/{dimension}")
  public Uni<Response> deleteAccountBudget(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("account") String account,
      @PathParam("dimension") String dimension) {
    auth.requireAdmin(authorization);
    return delete(accountBudget(account, dimension));
  }

  private Uni<Response> put(ResourceId id, String ifMatch, BudgetRequest body) {
    if (body == null || body.limit() == null) {
      throw QuotaException.invalid("Field 'limit' is required.");
    }
    long limit = body.limit();
    if (limit <= 0) {
      throw QuotaException.invalid(
          "Field 'limit' must be positive (delete the budget to remove the limit).");
    }
    if (limit > config.maxLimit()) {
      throw QuotaException.invalid(
          "Field 'limit' exceeds the maximum of " + config.maxLimit() + " (quota.max-limit).");
    }
    OptionalLong expected = version(ifMatch);
    return budgets
        .put(id, limit, expected)
        .map(
            put ->
                (put.created() ? Response.status(Response.Status.CREATED) : Response.ok())
                    .tag(etag(put.budget().version()))
                    .entity(budget(put.budget()))
                    .build());
  }

  private Uni<Response> get(ResourceId id) {
    return budgets.get(id).map(b -> Response.ok(budget(b)).tag(etag(b.version())).build());
  }

  private Uni<Response> delete(ResourceId id) {
    return budgets.delete(id).map(v -> Response.noContent().build());
  }

  private static ResourceId accountBudget(String account, String dimension) {
    Dimension d = dimension(dimension);
    if (!ACCOUNT_DIMENSIONS.contains(d)) {
      throw QuotaException.invalid(
          "Dimension '"
              + dimension
              + "' is not allowed on a provider account: use tokens-per-minute or"
              + " requests-per-minute.");
    }
    return ResourceId.account(path("account", account), d);
  }

  // --- input checks ----------------------------------------------------------------------------

  private static void name(String field, String value) {
    if (!dev.spillway.quota.ResourceId.isValidName(value)) {
      throw QuotaException.invalid(
          "Field '"
              + field
              + "' must be 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit.");
    }
  }

  /** A path segment that must be a valid name; an invalid one cannot exist, hence 404. */
  private static String path(String what, String value) {
    if (!ResourceId.isValidName(value)) {
      throw QuotaException.notFound("No " + what + " '" + value + "'.");
    }
    return value;
  }

  private static int weight(int weight) {
    if (weight < 1 || weight > 1000) {
      throw QuotaException.invalid("Field 'weight' must be between 1 and 1000.");
    }
    return weight;
  }

  private static Dimension dimension(String wireName) {
    return Dimension.fromWireName(wireName)
        .orElseThrow(
            () ->
                QuotaException.invalid(
                    "Unknown dimension '"
                        + wireName
                        + "': use tokens-per-minute, tokens-per-day, requests-per-minute,"
                        + " usd-micros-per-month or concurrent-requests."));
  }

  /** The version an {@code If-Match} header names, or empty when there is none. */
  static OptionalLong version(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return OptionalLong.empty();
    }
    String tag = ifMatch.trim();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    try {
      return OptionalLong.of(Long.parseLong(tag));
    } catch (NumberFormatException e) {
      throw new QuotaException(
          QuotaError.PRECONDITION_FAILED, "If-Match does not name a version of this resource.");
    }
  }

  private static EntityTag etag(long version) {
    return new EntityTag(Long.toString(version));
  }

  private static TenantResponse tenant(Tenant t) {
    return new TenantResponse(t.name(), t.parent(), t.weight(), t.version(), t.createdAt());
  }

  private static KeyResponse key(ApiKey k) {
    return new KeyResponse(
        k.id(), k.tenant(), k.feature(), k.tier(), k.prefix(), k.createdAt(), k.revokedAt());
  }

  private static BudgetResponse budget(Budget b) {
    ResourceId id = ResourceId.parse(b.resource());
    return new BudgetResponse(
        b.resource(), id.dimension().wireName(), b.limit(), b.version(), b.updatedAt());
  }
}
