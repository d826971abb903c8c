package dev.spillway.embedding.health;

import dev.spillway.embedding.serving.EmbeddingService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.TreeSet;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every configured model is loaded and warm (the service is built at start-up, so this
 * is true whenever the function serves). The data says which execution provider each model runs on
 * ({@code cpu} or {@code cuda}), the function's overall {@code device}, and each queue's depth.
 */
@Readiness
@ApplicationScoped
public class ModelsReadinessCheck implements HealthCheck {

  private final EmbeddingService service;

  public ModelsReadinessCheck(EmbeddingService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("embedding-models");
    TreeSet<String> devices = new TreeSet<>();
    service
        .models()
        .forEach(
            (id, served) -> {
              devices.add(served.model().device());
              response.withData("model " + id, served.model().device());
              response.withData("queue " + id, served.batcher().queuedTokens() + " tokens");
            });
    response.withData("device", String.join(",", devices));
    service
        .heads()
        .forEach((id, head) -> response.withData("classifier " + id, head.head().embeddingModel()));
    return response.status(!service.models().isEmpty()).build();
  }
}
