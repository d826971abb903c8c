package dev.spillway.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.routing.quality.QualityEstimates;
import dev.spillway.gateway.routing.quality.QualityMonitor;
import dev.spillway.quota.feedback.CategoryQuality;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * From the quota function's feedback sums to degraded categories: the rule, its minimum of judged
 * requests, the raised floor, recovery, and routes the sums name but this gateway lacks.
 */
class QualityMonitorTest {

  final QualityFloorPolicyTest fixture = new QualityFloorPolicyTest();
  final Route route = fixture.route(null, Optional.empty());
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final QualityMonitor monitor =
      new QualityMonitor(
          new RouteTable(List.of(route)),
          20,
          0.03,
          Optional.empty(),
          "/test",
          new ObjectMapper(),
          registry,
          Instant::now);

  private static CategoryQuality row(String model, long n, double sum) {
    return new CategoryQuality("auto", "anatomy", model, n, sum);
  }

  @Test
  void aCategoryWhoseRoutedQualityIsProvablyBelowItsFloorIsRoutedWithARaisedFloor() {
    // Cheap answers judged 40 % good, strong ones 95 %: routed 67.5 % of 80 (lower bound ~58 %),
    // above the floor of 50 % × 95 % = 47.5 %: not degraded.
    List<QualityEstimates.Estimate> fine =
        monitor.update(List.of(row("cheap", 40, 16), row("strong", 40, 38)));
    assertFalse(fine.get(0).degraded(), fine.toString());
    assertEquals(0.5, monitor.floor(route, "anatomy", 0.5));
    // Cheap answers all bad: routed 47.5 %, lower bound well below 47.5 %.
    List<QualityEstimates.Estimate> bad =
        monitor.update(List.of(row("cheap", 40, 0), row("strong", 40, 38)));
    assertTrue(bad.get(0).degraded(), bad.toString());
    assertEquals(0.53, monitor.floor(route, "anatomy", 0.5), 1e-9);
    assertEquals(0.5, monitor.floor(route, "college_physics", 0.5), "other categories unmoved");
    assertEquals(
        1.0,
        registry
            .get("spillway.routing.degraded")
            .tags("route", "auto", "category", "anatomy")
            .gauge()
            .value());
    // Recovered: the floor returns.
    monitor.update(List.of(row("cheap", 400, 380), row("strong", 40, 38)));
    assertEquals(0.5, monitor.floor(route, "anatomy", 0.5));
  }

  @Test
  void tooFewJudgedRequestsOnEitherTargetMoveNothing() {
    List<QualityEstimates.Estimate> few =
        monitor.update(List.of(row("cheap", 19, 0), row("strong", 400, 400)));
    assertFalse(few.get(0).degraded(), "19 judged cheap answers are fewer than 20");
    List<QualityEstimates.Estimate> noStrong = monitor.update(List.of(row("cheap", 400, 0)));
    assertFalse(noStrong.get(0).degraded(), "no measured strong quality to hold a floor against");
  }

  @Test
  void shadowComparisonsThatRarelyAgreeDegradeTheCategoryOnTheirOwn() {
    CategoryQuality agreeing = new CategoryQuality("auto", "anatomy", "cheap", "shadow", 40, 39);
    assertFalse(monitor.update(List.of(agreeing)).get(0).degraded(), "97 % agreement holds 50 %");
    CategoryQuality disagreeing = new CategoryQuality("auto", "anatomy", "cheap", "shadow", 40, 12);
    QualityEstimates.Estimate estimate = monitor.update(List.of(disagreeing)).get(0);
    assertTrue(estimate.degraded(), estimate.toString());
    assertEquals(40, estimate.shadowComparisons());
    assertEquals(0, estimate.routedFeedback(), "shadow comparisons are not user feedback");
  }

  @Test
  void sumsOfRoutesThisGatewayDoesNotServeAreIgnored() {
    assertEquals(
        List.of(),
        monitor.update(List.of(new CategoryQuality("elsewhere", "anatomy", "cheap", 400, 0))));
  }
}
