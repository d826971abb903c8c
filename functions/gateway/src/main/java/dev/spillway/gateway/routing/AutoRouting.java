package dev.spillway.gateway.routing;

import dev.spillway.gateway.routing.quality.CategoryClassifier;
import dev.spillway.routing.model.RouterModel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route's quality routing ({@code auto}): its router model, the quality floor of each task
 * category as a fraction of the strongest candidate's quality, and where a request's category comes
 * from when it names none.
 *
 * @param router the trained router (its candidates are the route's cheapest and its strongest
 *     target)
 * @param floors per category; categories not listed get {@code defaultFloor}
 * @param defaultFloor the floor of every other category
 * @param defaultCategory the category of a request that names none and that the classifier (if any)
 *     did not label; empty: such a request goes to the strongest candidate
 * @param classifier labels a prompt with its category (null: none, requests name theirs or get the
 *     default)
 * @param classifierTimeout how long a request waits for the classifier before the route's fallback
 *     decision (the strongest candidate)
 * @param shadowRate the share of cheaply served requests also sent to the strongest target (0: off)
 * @param shadowUsdPerDay what shadow requests may cost per tenant per UTC day on one instance
 */
public record AutoRouting(
    RouterModel router,
    Map<String, Double> floors,
    double defaultFloor,
    Optional<String> defaultCategory,
    CategoryClassifier classifier,
    Duration classifierTimeout,
    double shadowRate,
    double shadowUsdPerDay) {

  /** Quality routing without shadow sampling. */
  public AutoRouting(
      RouterModel router,
      Map<String, Double> floors,
      double defaultFloor,
      Optional<String> defaultCategory,
      CategoryClassifier classifier,
      Duration classifierTimeout) {
    this(router, floors, defaultFloor, defaultCategory, classifier, classifierTimeout, 0, 0);
  }

  public AutoRouting {
    Objects.requireNonNull(router, "router");
    floors = Map.copyOf(floors);
    Objects.requireNonNull(defaultCategory, "defaultCategory");
    Objects.requireNonNull(classifierTimeout, "classifierTimeout");
  }

  /** The floor a category is held to. */
  public double floor(String category) {
    return floors.getOrDefault(category, defaultFloor);
  }
}
