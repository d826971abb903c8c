package dev.spillway.quota.leasing;

import dev.spillway.quota.api.JsonBodies;
import dev.spillway.quota.api.QuotaException;
import dev.spillway.quota.auth.Authenticator;
import dev.spillway.quota.auth.KeyHashes;
import dev.spillway.quota.config.QuotaConfig;
import dev.spillway.quota.keys.KeyLookupRequest;
import dev.spillway.quota.keys.KeyLookupResponse;
import dev.spillway.quota.lease.LeaseRequest;
import dev.spillway.quota.lease.LeaseResponse;
import dev.spillway.quota.store.KeyStore;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** The gateways' endpoints (service key): lease calls and key lookups. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LeaseResource {

  private final Authenticator auth;
  private final LeaseService leases;
  private final KeyStore keys;
  private final QuotaConfig config;
  private final JsonBodies bodies;

  public LeaseResource(
      Authenticator auth,
      LeaseService leases,
      KeyStore keys,
      QuotaConfig config,
      JsonBodies bodies) {
    this.auth = auth;
    this.bodies = bodies;
    this.leases = leases;
    this.keys = keys;
    this.config = config;
  }

  @POST
  @Path("leases")
  public Uni<LeaseResponse> lease(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext raw) {
    auth.requireService(authorization);
    LeaseRequest request = bodies.read(raw, LeaseRequest.class);
    return leases.lease(request, LeaseRequests.validate(request));
  }

  @POST
  @Path("keys/lookup")
  public Uni<KeyLookupResponse> lookup(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context RoutingContext raw) {
    auth.requireService(authorization);
    KeyLookupRequest request = bodies.read(raw, KeyLookupRequest.class);
    if (request == null || !KeyHashes.isHash(request.keyHash())) {
      throw QuotaException.invalid("Field 'key_hash' must be a lowercase hex SHA-256.");
    }
    return keys.lookup(request.keyHash(), config.p90Sample(), config.keyCache().toMillis())
        .map(
            found -> {
              if (found == null) {
                throw QuotaException.notFound("Unknown or revoked key.");
              }
              return found;
            });
  }
}
