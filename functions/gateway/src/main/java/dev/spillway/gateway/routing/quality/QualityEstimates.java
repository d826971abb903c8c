package dev.spillway.gateway.routing.quality;

import dev.spillway.gateway.routing.AutoRouting;
import dev.spillway.gateway.routing.Route;
import dev.spillway.gateway.routing.RouteTable;
import dev.spillway.quota.feedback.CategoryQuality;
import dev.spillway.quota.feedback.FeedbackRequest;
import dev.spillway.routing.calibration.ClopperPearson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per {@code auto} route and category, the quality its users measured (feedback scores, 0 to 1)
 * against its floor. Computed from the quota function's sums, so every gateway instance reaches the
 * same verdict from the same data, and a restarted one at once. Stateless.
 *
 * <p>The rule: once both the cheapest and the strongest target have {@code minFeedback} judged
 * requests in the category, the category is degraded when the 95 % lower bound of its routed
 * quality (every judged request of the category, whichever target served it) is below the floor
 * times the strongest target's measured quality. Scores count as the fraction good (exact for
 * thumbs; a graded score is rounded down, the cautious side).
 *
 * <p>Shadow comparisons (the strongest target's answer to a sample of cheaply served requests) are
 * a second, independent test: once the cheapest target has {@code minFeedback} of them, the
 * category is degraded when the 95 % lower bound of the share that agreed with the strongest target
 * is below the floor (a disagreement counts as a wrong cheap answer: the cautious side).
 */
public final class QualityEstimates {

  /**
   * @param routedLow the 95 % Clopper–Pearson lower bound of the routed quality
   * @param floorQuality the category's floor times the strongest target's measured quality
   */
  public record Estimate(
      String route,
      String category,
      long cheapFeedback,
      double cheapQuality,
      long strongFeedback,
      double strongQuality,
      long routedFeedback,
      double routedQuality,
      double routedLow,
      double floorQuality,
      long shadowComparisons,
      double shadowAgreement,
      double shadowLow,
      boolean degraded) {}

  private QualityEstimates() {}

  public static List<Estimate> of(List<CategoryQuality> rows, RouteTable routes, int minFeedback) {
    Map<String, List<CategoryQuality>> byRouteAndCategory = new LinkedHashMap<>();
    for (CategoryQuality row : rows) {
      byRouteAndCategory
          .computeIfAbsent(row.route() + '\0' + row.category(), k -> new ArrayList<>())
          .add(row);
    }
    List<Estimate> estimates = new ArrayList<>();
    for (List<CategoryQuality> group : byRouteAndCategory.values()) {
      CategoryQuality first = group.get(0);
      Route route = routes.find(first.route()).orElse(null);
      if (route == null || route.auto() == null) {
        continue;
      }
      estimates.add(estimate(route, first.category(), group, minFeedback));
    }
    return estimates;
  }

  static Estimate estimate(
      Route route, String category, List<CategoryQuality> group, int minFeedback) {
    String cheapest = route.targets().get(0).model();
    String strongest = route.targets().get(route.targets().size() - 1).model();
    long cheapN = 0, strongN = 0, routedN = 0, shadowN = 0;
    double cheapSum = 0, strongSum = 0, routedSum = 0, shadowSum = 0;
    for (CategoryQuality row : group) {
      if (FeedbackRequest.SHADOW.equals(row.source())) {
        if (cheapest.equals(row.model())) {
          shadowN += row.feedback();
          shadowSum += row.scoreSum();
        }
        continue;
      }
      routedN += row.feedback();
      routedSum += row.scoreSum();
      if (cheapest.equals(row.model())) {
        cheapN += row.feedback();
        cheapSum += row.scoreSum();
      } else if (strongest.equals(row.model())) {
        strongN += row.feedback();
        strongSum += row.scoreSum();
      }
    }
    AutoRouting auto = route.auto();
    double strongQuality = strongN == 0 ? Double.NaN : strongSum / strongN;
    double floorQuality = auto.floor(category) * strongQuality;
    int good = (int) Math.min(Integer.MAX_VALUE, (long) Math.floor(routedSum + 1e-9));
    int n = (int) Math.min(Integer.MAX_VALUE, routedN);
    double routedLow = n == 0 ? 0 : ClopperPearson.lower(Math.min(good, n), n, 0.05);
    boolean enough = cheapN >= minFeedback && strongN >= minFeedback;
    int agreed = (int) Math.min(Integer.MAX_VALUE, (long) Math.floor(shadowSum + 1e-9));
    int compared = (int) Math.min(Integer.MAX_VALUE, shadowN);
    double shadowLow =
        compared == 0 ? 0 : ClopperPearson.lower(Math.min(agreed, compared), compared, 0.05);
    boolean shadowDegraded = shadowN >= minFeedback && shadowLow < auto.floor(category);
    return new Estimate(
        route.name(),
        category,
        cheapN,
        cheapN == 0 ? Double.NaN : cheapSum / cheapN,
        strongN,
        strongQuality,
        routedN,
        routedN == 0 ? Double.NaN : routedSum / routedN,
        routedLow,
        floorQuality,
        shadowN,
        shadowN == 0 ? Double.NaN : shadowSum / shadowN,
        shadowLow,
        (enough && routedLow < floorQuality) || shadowDegraded);
  }
}
