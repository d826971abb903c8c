package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ProviderException;

/**
 * No target could serve the request. Carries the last target's failure, which decides what the
 * client is told (its status class, its Retry-After), and how many targets were tried.
 */
public final class DispatchFailedException extends RuntimeException {

  private final ProviderException last;
  private final int attempts;

  public DispatchFailedException(ProviderException last, int attempts) {
    super(last.getMessage(), null, false, false);
    this.last = last;
    this.attempts = attempts;
  }

  public ProviderException last() {
    return last;
  }

  public int attempts() {
    return attempts;
  }
}
