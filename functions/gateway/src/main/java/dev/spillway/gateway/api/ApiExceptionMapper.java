package dev.spillway.gateway.api;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders failures of the Quarkus REST endpoints through {@link ErrorResponses}, like the rest. */
public class ApiExceptionMapper {

  private final ErrorResponses errors;

  public ApiExceptionMapper(ErrorResponses errors) {
    this.errors = errors;
  }

  @ServerExceptionMapper
  public Response map(ApiException failure) {
    ErrorResponses.Rendered rendered = errors.render(failure, "-");
    Response.ResponseBuilder response = Response.status(rendered.status());
    if (rendered.retryAfterSeconds() >= 0) {
      response.header("retry-after", rendered.retryAfterSeconds());
    }
    if (rendered.retryAfterMillis() >= 0) {
      response.header("retry-after-ms", rendered.retryAfterMillis());
    }
    return response.type("application/json").entity(rendered.body().toJson().toString()).build();
  }
}
