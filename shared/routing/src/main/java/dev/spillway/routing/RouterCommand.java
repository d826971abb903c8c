package dev.spillway.routing;

import dev.spillway.routing.calibration.FloorEvaluation;
import dev.spillway.routing.calibration.ThresholdCalibration;
import dev.spillway.routing.data.Embeddings;
import dev.spillway.routing.data.Outcome;
import dev.spillway.routing.data.OutcomeTable;
import dev.spillway.routing.eval.Bootstrap;
import dev.spillway.routing.eval.CrossValidation;
import dev.spillway.routing.eval.RouteLlmMetrics;
import dev.spillway.routing.scoring.Baselines;
import dev.spillway.routing.scoring.HashedRidge;
import dev.spillway.routing.scoring.ScorerTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bin/spillway router eval}: cross-validated RouteLLM metrics of the scorers on an outcome
 * table, each with its bootstrap interval, as a Markdown report. Exits 2 with a message on bad
 * arguments or data.
 *
 * <pre>
 * router eval --data &lt;csv or mmlu dir&gt; [--embeddings file] [--folds 5] [--seed 42]
 *             [--bootstrap 1000] [--floor 0.95] [--delta 0.05] [--out report.md]
 * </pre>
 */
public final class RouterCommand {

  /** The L2 penalty of the ridge scorers, chosen on folds over prompts (seed 42): 3–6 is flat. */
  static final double RIDGE_LAMBDA = 4.0;

  /** The scorer whose thresholds are calibrated: bag-of-words ridge + category + shape. */
  private static final int ROUTER_INDEX = 4;

  private RouterCommand() {}

  public static void main(String[] args) {
    try {
      System.out.print(run(args));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("router: " + e.getMessage());
      System.exit(2);
    }
  }

  static final String USAGE =
      "usage:\n"
          + "  router eval  --data <csv or mmlu dir> [--embeddings file] [--folds 5] [--seed 42]"
          + " [--bootstrap 1000] [--floor 0.95] [--delta 0.05] [--out report.md]\n"
          + "  router train --data <csv or mmlu dir> --out router.json --licence TEXT"
          + " [--source TEXT] [--folds 5] [--seed 42] [--delta 0.05]"
          + " [--method clopper-pearson|clopper-pearson-net|conformal-risk]\n"
          + "  router score --router router.json --in prompts.csv (id,prompt[,category])"
          + " --out scores.csv";

  static String run(String[] args) {
    if (args.length > 0 && args[0].equals("texts")) {
      return texts(options(args));
    }
    if (args.length > 0 && args[0].equals("train")) {
      return RouterTools.train(options(args));
    }
    if (args.length > 0 && args[0].equals("score")) {
      return RouterTools.score(options(args));
    }
    if (args.length == 0 || !args[0].equals("eval")) {
      throw new IllegalArgumentException(USAGE);
    }
    Map<String, String> options = options(args);
    Path data = Path.of(required(options, "data"));
    if (!Files.exists(data)) {
      throw new IllegalArgumentException("--data " + data + ": no such file or directory");
    }
    int folds = integer(options, "folds", 5);
    long seed = integer(options, "seed", 42);
    int resamples = integer(options, "bootstrap", 1000);
    double floor = fraction(options, "floor", 0.95);
    double delta = fraction(options, "delta", 0.05);
    OutcomeTable table = OutcomeTable.read(data);
    List<ScorerTrainer> scorers = new ArrayList<>();
    scorers.add(Baselines.random(seed));
    scorers.add(Baselines.length());
    scorers.add(Baselines.categoryGap());
    scorers.add(new HashedRidge(RIDGE_LAMBDA, 1.0));
    scorers.add(new HashedRidge(RIDGE_LAMBDA, 1.0, true, null, 0));
    if (options.containsKey("embeddings")) {
      Embeddings embeddings = Embeddings.read(Path.of(options.get("embeddings")));
      scorers.add(new HashedRidge(RIDGE_LAMBDA, 1.0, true, embeddings, 0.5));
    }
    String report =
        evaluate(table, scorers, folds, seed, resamples, data.toString())
            + floors(table, scorers.get(ROUTER_INDEX), folds, seed, floor, delta);
    String out = options.get("out");
    if (out != null) {
      try {
        Files.writeString(Path.of(out), report, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write --out " + out + ": " + e.getMessage());
      }
    }
    return report;
  }

  /**
   * {@code router texts --data <csv or dir> --out <file>}: the table's prompts separated by NUL
   * bytes, the input of the embedding function's {@code EmbedTextsCommand}.
   */
  private static String texts(Map<String, String> options) {
    OutcomeTable table = OutcomeTable.read(Path.of(required(options, "data")));
    String out = required(options, "out");
    StringBuilder texts = new StringBuilder();
    for (Outcome row : table.rows()) {
      texts.append(row.prompt()).append('\0');
    }
    try {
      Files.writeString(Path.of(out), texts, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write --out " + out + ": " + e.getMessage());
    }
    return table.rows().size() + " prompts written to " + out + "\n";
  }

  static String evaluate(
      OutcomeTable table,
      List<ScorerTrainer> trainers,
      int folds,
      long seed,
      int resamples,
      String source) {
    List<Outcome> rows = table.rows();
    int weak = table.weakest();
    int strong = table.strongest();
    double[] weakQuality = new double[rows.size()];
    double[] strongQuality = new double[rows.size()];
    double[] oracle = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      weakQuality[i] = rows.get(i).quality()[weak];
      strongQuality[i] = rows.get(i).quality()[strong];
      oracle[i] = rows.get(i).gain(weak, strong);
    }
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Data: %s — %d prompts, %d categories; weak `%s` %.1f %%, strong `%s` %.1f %%."
                + " Folds: %d, seed %d; intervals: %d bootstrap resamples.%n%n",
            source,
            rows.size(),
            rows.stream().map(Outcome::category).distinct().count(),
            table.candidates().get(weak),
            table.mean(weak) * 100,
            table.candidates().get(strong),
            table.mean(strong) * 100,
            folds,
            seed,
            resamples));
    Map<String, int[]> splits = new LinkedHashMap<>();
    splits.put("folds over prompts", CrossValidation.overPrompts(rows.size(), folds, seed));
    if (rows.stream().map(Outcome::category).distinct().count() >= folds) {
      splits.put("folds grouped by category", CrossValidation.byCategory(rows, folds, seed));
    }
    for (Map.Entry<String, int[]> split : splits.entrySet()) {
      md.append("### ").append(split.getKey()).append("\n\n");
      md.append("| Scorer | APGR (95 % CI) | CPT(50 %) | CPT(80 %) |\n|---|---|---|---|\n");
      for (ScorerTrainer trainer : trainers) {
        double[] scores =
            CrossValidation.outOfFold(rows, split.getValue(), folds, trainer, weak, strong);
        row(md, trainer.name(), scores, weakQuality, strongQuality, resamples, seed);
      }
      row(md, "oracle (knows the outcomes)", oracle, weakQuality, strongQuality, 0, seed);
      md.append('\n');
    }
    return md.toString();
  }

  private static void row(
      StringBuilder md,
      String name,
      double[] scores,
      double[] weak,
      double[] strong,
      int resamples,
      long seed) {
    RouteLlmMetrics.Result result = RouteLlmMetrics.evaluate(scores, weak, strong);
    String apgr, cpt50, cpt80;
    if (resamples > 0) {
      Bootstrap.Intervals ci = Bootstrap.of(scores, weak, strong, resamples, seed);
      apgr =
          String.format(
              Locale.ROOT, "%.3f (%.3f–%.3f)", result.apgr(), ci.apgr().low(), ci.apgr().high());
      cpt50 =
          String.format(
              Locale.ROOT,
              "%.1f %% (%.1f–%.1f)",
              result.cpt50(),
              ci.cpt50().low(),
              ci.cpt50().high());
      cpt80 =
          String.format(
              Locale.ROOT,
              "%.1f %% (%.1f–%.1f)",
              result.cpt80(),
              ci.cpt80().low(),
              ci.cpt80().high());
    } else {
      apgr = String.format(Locale.ROOT, "%.3f", result.apgr());
      cpt50 = String.format(Locale.ROOT, "%.1f %%", result.cpt50());
      cpt80 = String.format(Locale.ROOT, "%.1f %%", result.cpt80());
    }
    md.append("| ")
        .append(name)
        .append(" | ")
        .append(apgr)
        .append(" | ")
        .append(cpt50)
        .append(" | ")
        .append(cpt80)
        .append(" |\n");
  }

  /**
   * The floors section: thresholds calibrated per category on half of its prompts, checked on the
   * other half (and the other way round), for the router and for random scores, by both methods.
   */
  static String floors(
      OutcomeTable table, ScorerTrainer router, int folds, long seed, double floor, double delta) {
    List<Outcome> rows = table.rows();
    int weak = table.weakest();
    int strong = table.strongest();
    int[] split = CrossValidation.overPrompts(rows.size(), folds, seed);
    double[] routed = CrossValidation.outOfFold(rows, split, folds, router, weak, strong);
    double[] random =
        CrossValidation.outOfFold(rows, split, folds, Baselines.random(seed), weak, strong);
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "### floors: %.0f %% of the strong candidate's quality in every category, δ = %.2f%n%n",
            floor * 100,
            delta));
    md.append(
        "Out-of-fold scores (folds over prompts); per category, thresholds calibrated on one half"
            + " of its prompts route the other half, and the other way round.\n\n");
    md.append(
        "| Scores | Calibration | To strong | Routed quality | Strong quality |"
            + " Categories below floor beyond interval (≥ 30 prompts) |\n|---|---|---|---|---|---|\n");
    FloorEvaluation.Result detail = null;
    for (ThresholdCalibration.Method method : ThresholdCalibration.Method.values()) {
      for (int which = 0; which < 2; which++) {
        FloorEvaluation.Result result =
            FloorEvaluation.evaluate(
                rows, which == 0 ? routed : random, weak, strong, floor, delta, method, seed);
        if (which == 0 && method == ThresholdCalibration.Method.CLOPPER_PEARSON) {
          detail = result;
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %.1f %% | %.1f %% | %.1f %% | %d of %d |%n",
                which == 0 ? router.name() : "random",
                switch (method) {
                  case CLOPPER_PEARSON -> "Clopper–Pearson";
                  case CLOPPER_PEARSON_NET -> "Clopper–Pearson, net of the weak model's wins";
                  case CONFORMAL_RISK -> "conformal risk control";
                },
                result.strongShare() * 100,
                result.routedQuality() * 100,
                result.strongQuality() * 100,
                result.violations(30),
                result.categories().size()));
      }
    }
    md.append("\nPer category (")
        .append(router.name())
        .append(", Clopper–Pearson):\n\n")
        .append("| Category | Prompts | To strong | Routed quality (95 % CI) | Floor |\n")
        .append("|---|---|---|---|---|\n");
    for (FloorEvaluation.CategoryResult c : detail.categories()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.0f %% | %.1f %% (%.1f–%.1f) | %.1f %%%s |%n",
              c.category(),
              c.prompts(),
              c.strongShare() * 100,
              c.routedQuality() * 100,
              c.routedLow() * 100,
              c.routedHigh() * 100,
              c.floorQuality() * 100,
              c.belowFloor() ? " ❌" : ""));
    }
    return md.toString();
  }

  static double fraction(Map<String, String> options, String name, double fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed > 0 && parsed < 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "--" + name + " must be a number between 0 and 1, got " + value);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  static int integer(Map<String, String> options, String name, int fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed <= 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a positive integer, got " + value);
    }
  }
}
