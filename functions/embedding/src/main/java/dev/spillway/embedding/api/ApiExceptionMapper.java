package dev.spillway.embedding.api;

import dev.spillway.embedding.error.ErrorResponses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Renders every failure of the {@code /v1/*} endpoints through {@link ErrorResponses}, and refuses
 * an oversize body from its {@code Content-Length} before it is read.
 */
public class ApiExceptionMapper {

  private final RequestParser parser;

  public ApiExceptionMapper(RequestParser parser) {
    this.parser = parser;
  }

  @ServerRequestFilter(preMatching = true)
  public Response limitBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    if (length == null || !request.path().startsWith("/v1/")) {
      return null;
    }
    try {
      parser.checkSize(Long.parseLong(length.trim()));
      return null;
    } catch (NumberFormatException e) {
      return null;
    } catch (RuntimeException e) {
      return map(e);
    }
  }

  @ServerExceptionMapper
  public Response map(Throwable failure) {
    ErrorResponses.Rendered rendered = ErrorResponses.render(failure);
    Response.ResponseBuilder response =
        Response.status(rendered.status())
            .type("application/json")
            .entity(rendered.body().toJson().toString());
    if (rendered.retryAfterSeconds() >= 0) {
      response.header("Retry-After", rendered.retryAfterSeconds());
    }
    return response.build();
  }
}
