package dev.spillway.gateway.routing.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.events.CloudEvent;
import dev.spillway.events.CloudEventSender;
import dev.spillway.events.EventTypes;
import dev.spillway.events.RoutingDegradedEvent;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteTable;
import dev.spillway.quota.feedback.CategoryQuality;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The gateway's view of measured quality: the quota function's feedback sums, refreshed by the
 * caller ({@link #update}), turned into {@link QualityEstimates} and the set of degraded
 * categories, whose floor is raised by a step until they recover. A change announces itself: a log
 * line, the gauge {@code spillway_routing_degraded{route,category}} and a {@code
 * dev.spillway.routing.degraded} CloudEvent, whose id is derived from route, category, direction
 * and UTC day so that the copies every instance sends are one event to an idempotent consumer.
 * Thread-safe: updates replace an immutable set.
 */
public final class QualityMonitor implements DegradedCategories {

  private final RouteTable routes;
  private final int minFeedback;
  private final double floorStep;
  private final Optional<CloudEventSender> events;
  private final String eventSource;
  private final ObjectMapper mapper;
  private final MeterRegistry registry;
  private final Supplier<Instant> clock;
  private final Counter refreshFailures;
  private volatile Set<String> degraded = Set.of();
  private final Map<String, Boolean> gauges = new ConcurrentHashMap<>();

  public QualityMonitor(
      RouteTable routes,
      int minFeedback,
      double floorStep,
      Optional<CloudEventSender> events,
      String eventSource,
      ObjectMapper mapper,
      MeterRegistry registry,
      Supplier<Instant> clock) {
    this.routes = routes;
    this.minFeedback = minFeedback;
    this.floorStep = floorStep;
    this.events = events;
    this.eventSource = eventSource;
    this.mapper = mapper;
    this.registry = registry;
    this.clock = clock;
    this.refreshFailures =
        Counter.builder("spillway.routing.quality.refresh.failures")
            .description("Reads of the quota function's feedback sums that failed")
            .register(registry);
  }

  private static String key(String route, String category) {
    return route + '\0' + category;
  }

  @Override
  public double floor(Route route, String category, double configured) {
    if (category == null || !degraded.contains(key(route.name(), category))) {
      return configured;
    }
    return Math.min(1.0, configured + floorStep);
  }

  /** Whether a category is degraded now. */
  public boolean isDegraded(String route, String category) {
    return degraded.contains(key(route, category));
  }

  /** A read of the feedback sums failed: the last verdicts stand. */
  public void refreshFailed(Throwable cause) {
    refreshFailures.increment();
    Log.debugf(cause, "reading routing quality failed");
  }

  /** Replaces the verdicts with those of fresh feedback sums; announces every change. */
  public List<QualityEstimates.Estimate> update(List<CategoryQuality> rows) {
    List<QualityEstimates.Estimate> estimates = QualityEstimates.of(rows, routes, minFeedback);
    Set<String> before = degraded;
    Set<String> now = ConcurrentHashMap.newKeySet();
    for (QualityEstimates.Estimate e : estimates) {
      String key = key(e.route(), e.category());
      if (e.degraded()) {
        now.add(key);
      }
      gauge(e.route(), e.category());
      if (e.degraded() != before.contains(key)) {
        announce(e);
      }
    }
    // A category that lost all its feedback (the window moved on) recovers silently.
    degraded = Set.copyOf(now);
    return estimates;
  }

  private void gauge(String route, String category) {
    String key = key(route, category);
    if (gauges.putIfAbsent(key, Boolean.TRUE) == null) {
      Gauge.builder("spillway.routing.degraded", this, m -> m.isDegraded(route, category) ? 1 : 0)
          .description("1 while measured quality holds a quality-routed category below its floor")
          .tag("route", route)
          .tag("category", category)
          .register(registry);
    }
  }

  private void announce(QualityEstimates.Estimate e) {
    Route route = routes.find(e.route()).orElseThrow();
    double configured = route.auto().floor(e.category());
    double applied = e.degraded() ? Math.min(1.0, configured + floorStep) : configured;
    Log.infof(
        "route %s category %s %s: routed quality %.3f (95 %% lower bound %.3f, %d judged) vs floor"
            + " %.3f; routed with floor %.2f",
        e.route(),
        e.category(),
        e.degraded() ? "degraded" : "recovered",
        e.routedQuality(),
        e.routedLow(),
        e.routedFeedback(),
        e.floorQuality(),
        applied);
    events.ifPresent(
        sender -> {
          LocalDate day = LocalDate.ofInstant(clock.get(), ZoneOffset.UTC);
          String id =
              UUID.nameUUIDFromBytes(
                      (e.route() + '\0' + e.category() + '\0' + e.degraded() + '\0' + day)
                          .getBytes(StandardCharsets.UTF_8))
                  .toString();
          RoutingDegradedEvent data =
              new RoutingDegradedEvent(
                  e.route(),
                  e.category(),
                  e.degraded(),
                  e.routedFeedback(),
                  e.routedQuality(),
                  e.routedLow(),
                  e.floorQuality(),
                  applied);
          sender.send(
              new CloudEvent(
                  id,
                  eventSource,
                  EventTypes.ROUTING_DEGRADED,
                  e.route(),
                  clock.get(),
                  mapper.valueToTree(data)));
        });
  }
}
