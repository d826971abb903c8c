package dev.spillway.drift.api;

import dev.spillway.drift.config.DriftConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body over {@code drift.limits.max-body-bytes} by its {@code Content-Length}, before it
 * is read, with a problem+json 413 (Quarkus's own outer limit, {@code
 * quarkus.http.limits.max-body-size}, answers a bare 413, and only beyond it).
 */
@Singleton
public class BodyLimit {

  // Pre-matching filters are created before configuration mappings are ready: read it on first use.
  private final Instance<DriftConfig> config;
  private volatile long maxBytes = -1;

  public BodyLimit(Instance<DriftConfig> config) {
    this.config = config;
  }

  @ServerRequestFilter(preMatching = true)
  public Response check(ContainerRequestContext request) {
    String length = request.getHeaderString("content-length");
    if (maxBytes < 0) {
      maxBytes = config.get().limits().maxBodyBytes();
    }
    if (length == null) {
      return null;
    }
    try {
      if (Long.parseLong(length.trim()) <= maxBytes) {
        return null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return ProblemResponses.render(
        DriftError.BODY_TOO_LARGE,
        "The request body is larger than "
            + maxBytes
            + " bytes (drift.limits.max-body-bytes): send fewer samples per request.");
  }
}
