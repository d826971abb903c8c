package dev.spillway.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteTable;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/models}: the client-facing models (routes), in OpenAI's list shape. Upstream model
 * names stay private: clients choose a route, the gateway chooses the target.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

  /** Routes have no creation time; OpenAI's field is required, so the epoch stands in. */
  private static final long CREATED = 0;

  private final RequestAuthenticator authenticator;
  private final RouteTable routes;
  private final ObjectMapper mapper;

  public ModelsResource(
      RequestAuthenticator authenticator, RouteTable routes, ObjectMapper mapper) {
    this.authenticator = authenticator;
    this.routes = routes;
    this.mapper = mapper;
  }

  @GET
  public Uni<ObjectNode> list(@HeaderParam("authorization") String authorization) {
    return authenticated(authorization)
        .map(
            ignored -> {
              ObjectNode list = mapper.createObjectNode().put("object", "list");
              ArrayNode data = list.putArray("data");
              routes.all().forEach(route -> data.add(model(route)));
              return list;
            });
  }

  @GET
  @Path("/{model}")
  public Uni<ObjectNode> get(
      @HeaderParam("authorization") String authorization, @PathParam("model") String model) {
    return authenticated(authorization)
        .map(
            ignored ->
                routes
                    .find(model)
                    .map(this::model)
                    .orElseThrow(
                        () ->
                            new ApiException(
                                ApiError.MODEL_NOT_FOUND, "model", "The model does not exist.")));
  }

  /** The same keys as chat completions: static ones, or those the quota function manages. */
  private Uni<Caller> authenticated(String authorization) {
    return Uni.createFrom()
        .completionStage(authenticator.authenticate(authorization))
        .map(
            outcome -> {
              if (outcome instanceof RequestAuthenticator.Refused refused) {
                throw refused.error();
              }
              return ((RequestAuthenticator.Authenticated) outcome).caller();
            });
  }

  private ObjectNode model(Route route) {
    return mapper
        .createObjectNode()
        .put("id", route.name())
        .put("object", "model")
        .put("created", CREATED)
        .put("owned_by", "spillway");
  }
}
