package dev.spillway.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEventSender;
import dev.spillway.gateway.auth.ApiKeyHasher;
import dev.spillway.gateway.auth.PriorityTier;
import dev.spillway.gateway.dispatch.Dispatcher;
import dev.spillway.gateway.quota.KeyCache;
import dev.spillway.gateway.quota.LeaseManager;
import dev.spillway.gateway.quota.QuotaAdmission;
import dev.spillway.gateway.quota.QuotaClient;
import dev.spillway.gateway.quota.QuotaMetrics;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.resilience.Scheduler;
import dev.spillway.gateway.routing.RouteTable;
import dev.spillway.gateway.routing.quality.DegradedCategories;
import dev.spillway.gateway.routing.quality.QualityMonitor;
import dev.spillway.gateway.routing.quality.QualityRefresh;
import dev.spillway.gateway.routing.quality.ShadowSampler;
import dev.spillway.usage.TokenCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds quota enforcement from {@code gateway.quota.*}: the quota client, the key cache, the lease
 * manager (renewed by a Vert.x timer every {@code check-interval}) and admission; returns every
 * allowance at shutdown.
 */
@Singleton
public class QuotaBeans {

  private volatile long timer = -1;
  private volatile QuotaClient client;

  @Produces
  @Singleton
  QuotaRuntime quota(
      GatewayConfig config,
      Vertx vertx,
      ObjectMapper mapper,
      TokenCounter tokens,
      Scheduler scheduler,
      MeterRegistry registry) {
    GatewayConfig.Quota quota = config.quota();
    if (quota.url().isEmpty()) {
      Log.info("quota enforcement is off (gateway.quota.url is unset): keys from gateway.keys");
      return QuotaRuntime.OFF;
    }
    new GatewayConfigValidator()
        .problems(config).stream()
            .filter(p -> p.startsWith("gateway.quota") || p.contains(".account"))
            .findFirst()
            .ifPresent(
                p -> {
                  throw new IllegalStateException("Invalid gateway configuration: " + p);
                });
    QuotaClient quotaClient =
        new QuotaClient(
            vertx.getDelegate(),
            quota.url().get(),
            quota.serviceKey().orElseThrow(),
            quota.connectTimeout(),
            quota.requestTimeout(),
            quota.keyLookupConnections(),
            mapper);
    this.client = quotaClient;
    QuotaMetrics metrics = new QuotaMetrics(registry);
    LeaseManager leases =
        new LeaseManager(
            quotaClient::lease,
            System::nanoTime,
            quota.defaultRefresh(),
            Duration.ofMillis(Math.max(250, quota.checkInterval().toMillis())),
            new LeaseManager.Listener() {
              @Override
              public void connection(
                  LeaseManager.Connection from, LeaseManager.Connection to, String reason) {
                if (to == LeaseManager.Connection.UNREACHABLE) {
                  Log.warnf(
                      "quota function unreachable and leases expired (%s): applying the"
                          + " unreachable policies (interactive %s, standard %s, batch %s)",
                      reason,
                      quota.unreachable().interactive(),
                      quota.unreachable().standard(),
                      quota.unreachable().batch());
                } else if (from == LeaseManager.Connection.UNREACHABLE) {
                  Log.infof("quota function reachable again: %s", reason);
                } else {
                  Log.debugf("quota connection %s -> %s", from, to);
                }
              }

              @Override
              public void round(boolean succeeded, long nanos) {
                metrics.renewal(succeeded, nanos);
              }
            });
    Map<PriorityTier, GatewayConfig.UnreachablePolicy> policies = new EnumMap<>(PriorityTier.class);
    policies.put(PriorityTier.INTERACTIVE, quota.unreachable().interactive());
    policies.put(PriorityTier.STANDARD, quota.unreachable().standard());
    policies.put(PriorityTier.BATCH, quota.unreachable().batch());
    Map<String, String> accounts = new HashMap<>();
    config.providers().forEach((name, p) -> accounts.put(name, p.account().orElse(name)));
    QuotaAdmission admission =
        new QuotaAdmission(
            leases,
            tokens,
            scheduler,
            new QuotaAdmission.Settings(
                quota.defaultOutputTokens(),
                quota.renewalWait(),
                quota.reservationMargin(),
                policies,
                quota.unreachable().safetyTokensPerMinute()),
            accounts,
            metrics,
            System::currentTimeMillis,
            count -> vertx.getDelegate().executeBlocking(count::get, false).toCompletionStage());
    KeyCache keys =
        new KeyCache(
            quotaClient::lookup,
            System::nanoTime,
            quota.negativeCacheFor(),
            quota.keyStaleFor(),
            quota.keyCacheSize());
    timer =
        vertx
            .getDelegate()
            .setPeriodic(
                quota.checkInterval().toMillis(),
                ignored -> {
                  try {
                    leases.tick();
                  } catch (RuntimeException bug) {
                    Log.errorf(bug, "lease renewal check failed");
                  }
                });
    Log.infof("quota enforcement on: %s (instance %s)", quota.url().get(), leases.instance());
    return new QuotaRuntime(new ApiKeyHasher(), keys, leases, admission, quotaClient);
  }

  /**
   * The online half of quality routing: with quota on and an {@code auto} route configured, the
   * feedback sums are read from the quota function now and every {@code
   * gateway.routing-quality.refresh}; otherwise nothing is ever degraded.
   */
  @Produces
  @Singleton
  DegradedCategories degradedCategories(QualityRefresh refresh) {
    return refresh.degraded();
  }

  @Produces
  @Singleton
  QualityRefresh qualityRefresh(
      GatewayConfig config,
      QuotaRuntime quota,
      RouteTable routes,
      Optional<CloudEventSender> events,
      ObjectMapper mapper,
      MeterRegistry registry,
      Vertx vertx) {
    boolean anyAuto = routes.all().stream().anyMatch(route -> route.auto() != null);
    if (quota.client().isEmpty() || !anyAuto) {
      return QualityRefresh.NONE;
    }
    GatewayConfig.RoutingQuality settings = config.routingQuality();
    QualityMonitor monitor =
        new QualityMonitor(
            routes,
            settings.minFeedback(),
            settings.floorStep(),
            events,
            config.events().source(),
            mapper,
            registry,
            Instant::now);
    QualityRefresh refresh =
        new QualityRefresh(quota.client().get(), monitor, settings.windowDays());
    refresh.refresh();
    vertx.getDelegate().setPeriodic(settings.refresh().toMillis(), id -> refresh.refresh());
    Log.infof(
        "routing quality: feedback read every %s (window %d days, %d judged requests per target"
            + " before a category can degrade)",
        settings.refresh(), settings.windowDays(), settings.minFeedback());
    return refresh;
  }

  /** Shadow sampling of {@code auto} routes; inert while quota is off (judgements need it). */
  @Produces
  @Singleton
  ShadowSampler shadowSampler(QuotaRuntime quota, Dispatcher dispatcher, MeterRegistry registry) {
    return new ShadowSampler(
        dispatcher::complete,
        quota.client(),
        registry,
        java.util.concurrent.ThreadLocalRandom.current(),
        () -> java.time.LocalDate.now(java.time.ZoneOffset.UTC));
  }

  /** Built at start-up, so that the first request does not pay for it. */
  void eagerly(@Observes StartupEvent started, QuotaRuntime quota) {
    Log.debugf("quota ready: %s", quota.enabled());
  }

  /** Returns every allowance (want 0) so other instances can use it at once. */
  void returnAll(@Observes ShutdownEvent stopping, QuotaRuntime quota, Vertx vertx) {
    if (timer >= 0) {
      vertx.getDelegate().cancelTimer(timer);
    }
    if (!quota.enabled()) {
      return;
    }
    try {
      quota.leases().returnAll().toCompletableFuture().get(2, TimeUnit.SECONDS);
      Log.info("quota leases returned");
    } catch (Exception e) {
      Log.warnf("could not return the quota leases at shutdown: %s", e.toString());
    }
    QuotaClient c = client;
    if (c != null) {
      c.close();
    }
  }
}
