package dev.spillway.routing.model;

import dev.spillway.routing.scoring.LinearScorer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A trained router as a file ships it: the linear score, the map from score to the probability that
 * the strongest candidate is needed, and per category the thresholds calibrated for every floor on
 * a grid of whole percent. Immutable and thread-safe; {@link #route} allocates only the prompt's
 * feature row.
 *
 * <p>Why a grid of floors rather than one: a route sets its own floors, per category, after the
 * router was trained; each floor is served by the grid's threshold for the next whole percent at or
 * above it, so a route never gets a weaker guarantee than it asked for.
 *
 * @param candidates the router's candidates, weakest first, strongest last (two today)
 * @param scorer the raw score: higher means the strongest candidate gains more
 * @param plattSlope with {@code plattIntercept}, {@code p = 1 / (1 + exp(−(slope × score +
 *     intercept)))}: the probability that the strongest candidate answers well where the weakest
 *     does not, fitted on out-of-fold scores
 * @param thresholds per category, one raw-score threshold per floor of the grid ({@link
 *     #floorGrid}); a prompt at or above it goes to the strongest candidate
 * @param calibration how the thresholds were calibrated (method, δ, prompts per category)
 * @param about where the router came from: the data's SHA-256, source and licence, and its figures
 */
public record RouterModel(
    List<String> candidates,
    LinearScorer scorer,
    double plattSlope,
    double plattIntercept,
    Map<String, double[]> thresholds,
    Calibration calibration,
    About about) {

  /** The floors thresholds are calibrated for: 0.50, 0.51, …, 1.00. */
  public static final int GRID_FROM_PERCENT = 50;

  public static final int GRID_SIZE = 51;

  /** Everything to the strongest candidate. */
  public static final double ALL_STRONG = Double.NEGATIVE_INFINITY;

  /** Everything to the weakest candidate. */
  public static final double ALL_WEAK = Double.POSITIVE_INFINITY;

  /**
   * @param method {@code clopper-pearson} or {@code conformal-risk}
   * @param delta the bound's error probability
   * @param prompts calibration prompts per category
   */
  public record Calibration(String method, double delta, Map<String, Integer> prompts) {
    public Calibration {
      prompts = Map.copyOf(prompts);
    }
  }

  /**
   * @param dataSha256 SHA-256 of the training data's files
   * @param dataSource what the data is and where it came from
   * @param licence the data's licence and attribution, kept with any router trained on it
   * @param trainedOn prompts trained on
   * @param figures the out-of-fold figures the training reported (APGR, CPT, …)
   */
  public record About(
      String dataSha256,
      String dataSource,
      String licence,
      int trainedOn,
      Map<String, Double> figures) {
    public About {
      figures = Map.copyOf(figures);
    }
  }

  /**
   * A decision for one prompt.
   *
   * @param candidate the index of the chosen candidate in {@link #candidates}
   * @param probability the probability that the strongest candidate is needed
   * @param reason {@code floor} (the category's calibrated threshold decided) or {@code
   *     uncalibrated-category} (the router has no threshold for it: the strongest candidate)
   */
  public record Decision(int candidate, double probability, String reason) {}

  public RouterModel {
    candidates = List.copyOf(candidates);
    if (candidates.size() != 2) {
      throw new IllegalArgumentException(
          "a router chooses between two candidates, got " + candidates.size());
    }
    Objects.requireNonNull(scorer, "scorer");
    if (!Double.isFinite(plattSlope) || !Double.isFinite(plattIntercept)) {
      throw new IllegalArgumentException("the probability map's parameters must be finite");
    }
    Map<String, double[]> copy = new TreeMap<>();
    thresholds.forEach(
        (category, grid) -> {
          if (grid.length != GRID_SIZE) {
            throw new IllegalArgumentException(
                "category '"
                    + category
                    + "' has "
                    + grid.length
                    + " thresholds, the floor grid has "
                    + GRID_SIZE);
          }
          copy.put(category, grid.clone());
        });
    thresholds = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(about, "about");
  }

  /** The floor of grid entry {@code i}. */
  public static double floorGrid(int i) {
    return (GRID_FROM_PERCENT + i) / 100.0;
  }

  /** The grid entry that serves a floor: the next whole percent at or above it. */
  static int gridIndex(double floor) {
    if (!(floor >= 0 && floor <= 1)) {
      throw new IllegalArgumentException("a floor is a fraction between 0 and 1, got " + floor);
    }
    // 1e-9 so that 0.95 (0.9500000000000001 after arithmetic) is served by 95, not 96.
    int percent = (int) Math.ceil(floor * 100 - 1e-9);
    return Math.max(0, percent - GRID_FROM_PERCENT);
  }

  /** The categories the router has thresholds for. */
  public Set<String> categories() {
    return thresholds.keySet();
  }

  /** The threshold a category's floor is served with; {@link #ALL_STRONG} when uncalibrated. */
  public double threshold(String category, double floor) {
    double[] grid = thresholds.get(category);
    return grid == null ? ALL_STRONG : grid[gridIndex(floor)];
  }

  /** The probability that the strongest candidate is needed for a prompt in a category. */
  public double probability(String prompt, String category) {
    return probabilityOf(scorer.score(prompt, category));
  }

  private double probabilityOf(double score) {
    return 1 / (1 + Math.exp(-(plattSlope * score + plattIntercept)));
  }

  /** Routes one prompt of a category held to a floor (a fraction of the strongest's quality). */
  public Decision route(String prompt, String category, double floor) {
    double score = scorer.score(prompt, category);
    double[] grid = thresholds.get(category);
    int strongest = candidates.size() - 1;
    if (grid == null) {
      gridIndex(floor);
      return new Decision(strongest, probabilityOf(score), "uncalibrated-category");
    }
    boolean strong = score >= grid[gridIndex(floor)];
    return new Decision(strong ? strongest : 0, probabilityOf(score), "floor");
  }
}
