package dev.spillway.gateway.health;

import dev.spillway.usage.TokenCounter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the tokenizer's encodings are loaded, so that no request ever waits on the event
 * loop for half a second of loading when it needs its tokens counted.
 */
@Readiness
@ApplicationScoped
public class TokenizerReadinessCheck implements HealthCheck {

  private final TokenCounter tokens;

  public TokenizerReadinessCheck(TokenCounter tokens) {
    this.tokens = tokens;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("tokenizer").status(tokens.isWarm()).build();
  }
}
