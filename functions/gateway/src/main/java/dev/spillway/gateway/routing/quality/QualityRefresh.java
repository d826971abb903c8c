package dev.spillway.gateway.routing.quality;

import dev.spillway.gateway.quota.QuotaClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One read of the quota function's feedback sums into the {@link QualityMonitor}: what the gateway
 * runs every {@code gateway.routing-quality.refresh}, and what a caller that must see the verdicts
 * of the feedback it just gave (a test, an operator's tool) runs at once and waits for. A failed
 * read keeps the last verdicts. Thread-safe.
 */
public final class QualityRefresh {

  /** Nothing to read: quota is off or no route routes by quality. */
  public static final QualityRefresh NONE = new QualityRefresh(null, null, 0);

  private final QuotaClient client;
  private final QualityMonitor monitor;
  private final int windowDays;

  public QualityRefresh(QuotaClient client, QualityMonitor monitor, int windowDays) {
    this.client = client;
    this.monitor = monitor;
    this.windowDays = windowDays;
  }

  /** The categories the refreshed verdicts degrade ({@link DegradedCategories#NONE} for none). */
  public DegradedCategories degraded() {
    return monitor == null ? DegradedCategories.NONE : monitor;
  }

  /** Reads the sums and updates the verdicts; completes when they are in place (or kept). */
  public CompletionStage<Void> refresh() {
    if (client == null) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .routingQuality(windowDays)
        .handle(
            (answer, failure) -> {
              if (failure != null) {
                monitor.refreshFailed(failure);
              } else {
                monitor.update(answer.rows());
              }
              return null;
            });
  }
}
