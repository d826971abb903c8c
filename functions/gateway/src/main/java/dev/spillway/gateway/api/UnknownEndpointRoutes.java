package dev.spillway.gateway.api;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Unknown paths and wrong methods anywhere on the gateway answer in OpenAI's error shape, as every
 * other failure does: an OpenAI SDK reads {@code error.message} from any 4xx, and an HTML page
 * would surface as a parse error instead of "no such endpoint". Two places catch them: Quarkus
 * REST's own 404/405 for paths near its resources ({@code /v1/models/...}), and a last route on the
 * router for paths nothing else claims.
 */
@ApplicationScoped
public class UnknownEndpointRoutes {

  /** Longest request path echoed in the message. */
  private static final int MAX_ECHOED_PATH_CHARS = 100;

  private final ErrorResponses errors;

  public UnknownEndpointRoutes(ErrorResponses errors) {
    this.errors = errors;
  }

  void register(@Observes Router router) {
    // After every other route: only requests nothing else answered get here.
    router.route().order(Integer.MAX_VALUE).handler(this::unknown);
  }

  private void unknown(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.ended()) {
      return;
    }
    ChatCompletionsRoute.writeError(
        response,
        errors.render(notFound(ctx.request().method().name(), ctx.normalizedPath()), "-"));
  }

  @ServerExceptionMapper
  public Response mapNotFound(NotFoundException failure, HttpServerRequest request) {
    return rendered(notFound(request.method().name(), request.path()));
  }

  @ServerExceptionMapper
  public Response mapNotAllowed(NotAllowedException failure, HttpServerRequest request) {
    String allowed = String.join(", ", failure.getResponse().getAllowedMethods());
    return rendered(
        new ApiException(
            ApiError.METHOD_NOT_ALLOWED,
            "This method is not allowed on "
                + clip(request.path())
                + (allowed.isEmpty() ? "." : "; use " + allowed + ".")));
  }

  private static ApiException notFound(String method, String path) {
    return new ApiException(
        ApiError.NOT_FOUND,
        "Unknown request URL: "
            + method
            + " "
            + clip(path)
            + ". The gateway serves POST /v1/chat/completions and GET /v1/models.");
  }

  private Response rendered(ApiException failure) {
    ErrorResponses.Rendered rendered = errors.render(failure, "-");
    return Response.status(rendered.status())
        .type("application/json")
        .entity(rendered.body().toJson().toString())
        .build();
  }

  private static String clip(String path) {
    return path.length() <= MAX_ECHOED_PATH_CHARS
        ? path
        : path.substring(0, MAX_ECHOED_PATH_CHARS) + "…";
  }
}
