package dev.spillway.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonFile;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.routing.calibration.ClopperPearson;
import dev.spillway.simulator.OutcomeReplay;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The quality router's cost and quality under load (issue 14). Held-out MMLU prompts ({@code
 * -DheldOut}, written by {@code router train --holdout}) go through the gateway twice each: to its
 * {@code auto} route ({@code -DautoModel}) and to the all-strong route ({@code -DstrongModel}), in
 * alternating order so neither route always runs second. The upstream simulator replays the
 * recorded outcomes, so an answer names the replay key's letter exactly when the model it stands
 * for got the prompt right; this simulation grades each answer with the same key.
 *
 * <p>At the end it writes a JSON and a Markdown summary ({@code -DsummaryOut}, without extension):
 * dollars per 1,000 requests on each route and their ratio, the realised accuracy of every category
 * on both routes, which categories fall below their floor ({@code -Dfloor} × the strong route's
 * accuracy) beyond their 95 % Clopper–Pearson interval, and the p95 response time on each route
 * (the gateway holds nothing back on non-streamed answers, so the difference is what routing adds).
 * Whether the targets hold is its {@code verdict}; {@code bin/spillway bench routing} fails when it
 * is false. Gatling's own assertion: no failed request.
 */
public class RoutingCostSimulation extends Simulation {

  private static final String HELD_OUT =
      System.getProperty("heldOut", "target/router/heldout.json");
  private static final String AUTO = System.getProperty("autoModel", "auto");
  private static final String STRONG = System.getProperty("strongModel", "gpt-4o");
  private static final double FLOOR = Double.parseDouble(System.getProperty("floor", "0.95"));
  private static final double MAX_COST_RATIO =
      Double.parseDouble(System.getProperty("maxCostRatio", "0.60"));
  private static final double MAX_ADDED_P95_MS =
      Double.parseDouble(System.getProperty("maxAddedP95Ms", "20"));
  private static final double RATE = Double.parseDouble(System.getProperty("rate", "50"));
  private static final int LIMIT = Integer.parseInt(System.getProperty("prompts", "0"));

  /** False: the gateway's classifier labels each prompt (no {@code x-spillway-category}). */
  private static final boolean SEND_CATEGORY =
      Boolean.parseBoolean(System.getProperty("sendCategory", "true"));

  private static final String SUMMARY =
      System.getProperty("summaryOut", "target/router/routing-cost");
  private static final LoadTestConfig CONFIG = LoadTestConfig.fromSystemProperties();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One graded answer. */
  private record Graded(String route, String category, boolean correct, double cost, long ms) {}

  private static final ConcurrentLinkedQueue<Graded> GRADED = new ConcurrentLinkedQueue<>();
  private static final Map<String, Integer> SERVED = new ConcurrentHashMap<>();
  private static final Map<String, Integer> REASONS = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger LABELLED_RIGHT =
      new java.util.concurrent.atomic.AtomicInteger();

  private static ChainBuilder ask(String route) {
    var request =
        http(route)
            .post("/v1/chat/completions")
            .body(StringBody(session -> body(route, session.getString("prompt"))))
            .check(
                status().is(200),
                jsonPath("$.choices[0].message.content").saveAs("answer"),
                header("x-spillway-cost-usd").saveAs("cost"),
                header("x-spillway-upstream-model").saveAs("served"),
                header("x-spillway-route-reason").optional().saveAs("reason"),
                header("x-spillway-route-category").optional().saveAs("label"),
                responseTimeInMillis().saveAs("ms"));
    if (SEND_CATEGORY) {
      request = request.header("x-spillway-category", "#{category}");
    }
    return exec(request).exec(session -> grade(route, session));
  }

  private static String body(String route, String prompt) {
    try {
      return JSON.writeValueAsString(
          Map.of(
              "model",
              route,
              "max_tokens",
              CONFIG.maxTokens(),
              "messages",
              List.of(Map.of("role", "user", "content", prompt))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Session grade(String route, Session session) {
    if (!session.contains("answer")) {
      return session; // failed request: Gatling counts it
    }
    String prompt = session.getString("prompt");
    String answer = session.getString("answer");
    String expected = "The answer is " + OutcomeReplay.keyLetter(prompt) + ".";
    GRADED.add(
        new Graded(
            route,
            session.getString("category"),
            answer.startsWith(expected),
            Double.parseDouble(session.getString("cost")),
            session.getLong("ms")));
    SERVED.merge(route + " → " + session.getString("served"), 1, Integer::sum);
    if (route.equals(AUTO)) {
      REASONS.merge(
          session.contains("reason") ? session.getString("reason") : "none", 1, Integer::sum);
      if (session.contains("label")
          && session.getString("label").equals(session.getString("category"))) {
        LABELLED_RIGHT.incrementAndGet();
      }
    }
    return session.removeAll("answer", "cost", "served", "ms", "reason", "label");
  }

  private final int prompts;

  {
    int available;
    try {
      available = JSON.readTree(readHeldOut()).size();
    } catch (IOException e) {
      throw new IllegalStateException("-DheldOut " + HELD_OUT + " is not JSON", e);
    }
    prompts = LIMIT > 0 ? Math.min(LIMIT, available) : available;
    System.out.printf(
        "RoutingCostSimulation: %d prompts × 2 routes (%s, %s) at %.0f prompts/s, floor %.2f%n",
        prompts, AUTO, STRONG, RATE, FLOOR);
    ChainBuilder both =
        exec(session -> session.set("autoFirst", session.userId() % 2 == 0))
            .doIfOrElse(session -> session.getBoolean("autoFirst"))
            .then(exec(ask(AUTO), ask(STRONG)))
            .orElse(exec(ask(STRONG), ask(AUTO)));
    setUp(
            scenario("held-out prompts")
                .feed(jsonFile(HELD_OUT).circular())
                .exec(both)
                .injectOpen(rampUsers(prompts).during(Math.max(1, Math.round(prompts / RATE)))))
        .protocols(CONFIG.httpProtocol())
        .assertions(global().failedRequests().count().is(0L));
  }

  private static byte[] readHeldOut() {
    try {
      return Files.readAllBytes(Path.of(HELD_OUT));
    } catch (IOException e) {
      throw new IllegalStateException(
          "-DheldOut " + HELD_OUT + " cannot be read: write it with 'router train --holdout'", e);
    }
  }

  @Override
  public void after() {
    List<Graded> all = new ArrayList<>(GRADED);
    Map<String, Object> summary = new TreeMap<>();
    double autoPerK = perThousand(all, AUTO);
    double strongPerK = perThousand(all, STRONG);
    double ratio = autoPerK / strongPerK;
    double autoP95 = p95(all, AUTO);
    double strongP95 = p95(all, STRONG);
    List<Map<String, Object>> categories = new ArrayList<>();
    int below = 0;
    Map<String, int[]> counts = new TreeMap<>(); // category → auto n, auto ok, strong n, strong ok
    for (Graded g : all) {
      int[] c = counts.computeIfAbsent(g.category(), k -> new int[4]);
      int at = g.route().equals(AUTO) ? 0 : 2;
      c[at]++;
      c[at + 1] += g.correct() ? 1 : 0;
    }
    StringBuilder rows = new StringBuilder();
    for (Map.Entry<String, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      double autoAccuracy = (double) c[1] / c[0];
      double strongAccuracy = (double) c[3] / c[2];
      double floorAccuracy = FLOOR * strongAccuracy;
      double high = ClopperPearson.upper(c[1], c[0], 0.025);
      boolean fails = high < floorAccuracy;
      below += fails ? 1 : 0;
      categories.add(
          Map.of(
              "category", e.getKey(),
              "prompts", c[0],
              "auto_accuracy", autoAccuracy,
              "auto_accuracy_high", high,
              "strong_accuracy", strongAccuracy,
              "floor_accuracy", floorAccuracy,
              "below_floor", fails));
      rows.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f %% (≤ %.1f) | %.1f %% | %.1f %%%s |%n",
              e.getKey(),
              c[0],
              autoAccuracy * 100,
              high * 100,
              strongAccuracy * 100,
              floorAccuracy * 100,
              fails ? " ❌" : ""));
    }
    double addedP95 = autoP95 - strongP95;
    boolean verdict = ratio <= MAX_COST_RATIO && below == 0 && addedP95 <= MAX_ADDED_P95_MS;
    summary.put("prompts", prompts);
    summary.put("answers_graded", all.size());
    summary.put("floor", FLOOR);
    summary.put("usd_per_1000_auto", autoPerK);
    summary.put("usd_per_1000_strong", strongPerK);
    summary.put("cost_ratio", ratio);
    summary.put("max_cost_ratio", MAX_COST_RATIO);
    summary.put("accuracy_auto", accuracy(all, AUTO));
    summary.put("accuracy_strong", accuracy(all, STRONG));
    summary.put("categories_below_floor", below);
    summary.put("p95_ms_auto", autoP95);
    summary.put("p95_ms_strong", strongP95);
    summary.put("p95_ms_added", addedP95);
    summary.put("max_added_p95_ms", MAX_ADDED_P95_MS);
    summary.put("served", new TreeMap<>(SERVED));
    summary.put("route_reasons", new TreeMap<>(REASONS));
    summary.put("category_sent", SEND_CATEGORY);
    summary.put("category_labelled_right", LABELLED_RIGHT.get());
    summary.put("categories", categories);
    summary.put("verdict", verdict);
    String markdown =
        String.format(
                Locale.ROOT,
                "%d held-out prompts, each sent to `%s` and to `%s` (floor %.0f %% of the strong"
                    + " route's accuracy per category).%n%n"
                    + "| | `%s` | `%s` (all strong) | target |%n|---|---|---|---|%n"
                    + "| USD per 1,000 requests | %.4f | %.4f | ratio %.1f %% (≤ %.0f %%) %s |%n"
                    + "| accuracy | %.1f %% | %.1f %% | |%n"
                    + "| p95 response time | %.1f ms | %.1f ms | added %.1f ms (≤ %.0f ms) %s |%n"
                    + "| categories below floor beyond interval | %d of %d | | 0 %s |%n%n"
                    + "Served: %s. Routing reasons: %s. Category %s (%d of %d labelled as"
                    + " the data's subject).%n%n"
                    + "| Category | Prompts | `%s` accuracy (95 %% upper) | `%s` accuracy | Floor |%n"
                    + "|---|---|---|---|---|%n",
                prompts,
                AUTO,
                STRONG,
                FLOOR * 100,
                AUTO,
                STRONG,
                autoPerK,
                strongPerK,
                ratio * 100,
                MAX_COST_RATIO * 100,
                ratio <= MAX_COST_RATIO ? "✅" : "❌",
                accuracy(all, AUTO) * 100,
                accuracy(all, STRONG) * 100,
                autoP95,
                strongP95,
                addedP95,
                MAX_ADDED_P95_MS,
                addedP95 <= MAX_ADDED_P95_MS ? "✅" : "❌",
                below,
                counts.size(),
                below == 0 ? "✅" : "❌",
                new TreeMap<>(SERVED),
                new TreeMap<>(REASONS),
                SEND_CATEGORY ? "sent as x-spillway-category" : "left to the gateway's classifier",
                LABELLED_RIGHT.get(),
                prompts,
                AUTO,
                STRONG)
            + rows;
    try {
      Files.writeString(
          Path.of(SUMMARY + ".json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
      Files.writeString(Path.of(SUMMARY + ".md"), markdown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(markdown);
    System.out.println("RoutingCostSimulation verdict: " + (verdict ? "PASS" : "FAIL"));
  }

  private static double perThousand(List<Graded> all, String route) {
    return all.stream()
            .filter(g -> g.route().equals(route))
            .mapToDouble(Graded::cost)
            .average()
            .orElse(Double.NaN)
        * 1000;
  }

  private static double accuracy(List<Graded> all, String route) {
    return all.stream()
        .filter(g -> g.route().equals(route))
        .mapToDouble(g -> g.correct() ? 1 : 0)
        .average()
        .orElse(Double.NaN);
  }

  private static double p95(List<Graded> all, String route) {
    List<Long> ms = new ArrayList<>();
    all.stream().filter(g -> g.route().equals(route)).forEach(g -> ms.add(g.ms()));
    if (ms.isEmpty()) {
      return Double.NaN;
    }
    Collections.sort(ms);
    return ms.get((int) Math.ceil(0.95 * ms.size()) - 1);
  }
}
