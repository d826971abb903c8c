package dev.spillway.drift.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.drift.store.ReportStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The page a person would rather look at than JSON: the feature's latest verdict, a chart of each
 * score over its reports (inline SVG, with the threshold drawn in; no script, no external
 * resource), and the latest report's emerging terms. Every value from the reports is HTML-escaped.
 * Stateless; thread-safe.
 */
public final class ReportPage {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One chart: a score's path in the report body and its threshold's. */
  private record Series(String title, String path, String threshold, String note) {}

  private static final List<Series> SERIES =
      List.of(
          new Series(
              "MMD permutation p-value",
              "scores.mmd.p_value",
              "scores.mmd.threshold",
              "drift below the line"),
          new Series("MMD²", "scores.mmd.statistic", null, "distance between the distributions"),
          new Series(
              "Domain-classifier AUC",
              "scores.domain_classifier.statistic",
              "scores.domain_classifier.threshold",
              "0.5: indistinguishable"),
          new Series(
              "Centroid cosine distance",
              "scores.centroid.statistic",
              "scores.centroid.threshold",
              "drift above the line"),
          new Series(
              "Queries poorly covered by the corpus",
              "scores.coverage.low_share",
              null,
              "share under the similarity threshold"),
          new Series(
              "Query terms unseen in the reference",
              "scores.vocabulary.unseen_share",
              "scores.vocabulary.threshold",
              "share of term occurrences"));

  private ReportPage() {}

  /** The page for a feature's reports, given newest first. */
  public static String render(String tenant, String feature, List<ReportStore.Stored> newestFirst) {
    List<JsonNode> reports = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      try {
        reports.add(JSON.readTree(newestFirst.get(i).body()));
      } catch (IOException e) {
        throw new UncheckedIOException("a stored report is not JSON", e);
      }
    }
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Drift: ")
        .append(escape(tenant + "/" + feature))
        .append("</title><style>")
        .append(
            "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222}"
                + "h1{font-size:1.4rem}.verdict{display:inline-block;padding:.2rem .6rem;"
                + "border-radius:.3rem;font-weight:600}.drift{background:#fde2e1;color:#9b1c1c}"
                + ".no_drift{background:#def7ec;color:#03543f}.insufficient_data{background:#eee}"
                + ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));"
                + "gap:1rem}figure{margin:0;border:1px solid #ddd;border-radius:.3rem;padding:.5rem}"
                + "figcaption{font-weight:600}small{color:#666}table{border-collapse:collapse}"
                + "td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:right}"
                + "td:first-child,th:first-child{text-align:left}")
        .append("</style></head><body>");
    html.append("<h1>Drift of ").append(escape(tenant + " / " + feature)).append("</h1>");
    if (reports.isEmpty()) {
      html.append("<p>No reports yet: run one with <code>POST /tenants/")
          .append(escape(tenant))
          .append("/features/")
          .append(escape(feature))
          .append("/reports</code>.</p></body></html>");
      return html.toString();
    }
    JsonNode latest = reports.get(reports.size() - 1);
    String verdict = latest.path("verdict").asText();
    html.append("<p>Latest window ")
        .append(escape(latest.path("window").path("start").asText()))
        .append(": <span class=\"verdict ")
        .append(escape(verdict))
        .append("\">")
        .append(escape(verdict.replace('_', ' ')))
        .append("</span> ")
        .append(escape(latest.path("reason").asText()))
        .append("</p>");
    html.append("<div class=\"charts\">");
    for (Series series : SERIES) {
      chart(html, series, reports);
    }
    html.append("</div>");
    emergingTerms(html, reports);
    html.append("<p><small>")
        .append(reports.size())
        .append(" reports, oldest to newest left to right. JSON: <code>GET …/reports/{id}</code>.")
        .append("</small></p></body></html>");
    return html.toString();
  }

  private static void chart(StringBuilder html, Series series, List<JsonNode> reports) {
    List<double[]> points = new ArrayList<>();
    double threshold = Double.NaN;
    for (int i = 0; i < reports.size(); i++) {
      JsonNode value = at(reports.get(i), series.path());
      if (value.isNumber()) {
        points.add(new double[] {i, value.asDouble()});
      }
      if (series.threshold() != null && at(reports.get(i), series.threshold()).isNumber()) {
        threshold = at(reports.get(i), series.threshold()).asDouble();
      }
    }
    if (points.isEmpty()) {
      return;
    }
    double min = 0;
    double max = Double.isNaN(threshold) ? 0 : threshold;
    for (double[] p : points) {
      min = Math.min(min, p[1]);
      max = Math.max(max, p[1]);
    }
    if (max - min < 1e-12) {
      max = min + 1;
    }
    max += (max - min) * 0.1;
    int width = 320;
    int height = 140;
    int span = Math.max(1, reports.size() - 1);
    html.append("<figure><figcaption>")
        .append(escape(series.title()))
        .append("</figcaption><small>")
        .append(escape(series.note()))
        .append("</small><svg viewBox=\"0 0 ")
        .append(width + 40)
        .append(' ')
        .append(height + 20)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(series.title()))
        .append("\">");
    html.append(
            String.format(
                Locale.ROOT,
                "<text x=\"0\" y=\"10\" font-size=\"9\">%.3g</text><text x=\"0\" y=\"%d\""
                    + " font-size=\"9\">%.3g</text>",
                max,
                height,
                min))
        .append("<g transform=\"translate(38,5)\">")
        .append(
            String.format(
                Locale.ROOT,
                "<rect width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ccc\"/>",
                width - 8,
                height - 10));
    if (!Double.isNaN(threshold)) {
      double y = y(threshold, min, max, height - 10);
      html.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"0\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#c81e1e\""
                  + " stroke-dasharray=\"4 3\"/>",
              width - 8,
              y,
              y));
    }
    StringBuilder polyline = new StringBuilder();
    for (double[] p : points) {
      double x = p[0] / span * (width - 8);
      double y = y(p[1], min, max, height - 10);
      polyline.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      html.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#1c64f2\"><title>%.4g</title>"
                  + "</circle>",
              x,
              y,
              p[1]));
    }
    html.append("<polyline fill=\"none\" stroke=\"#1c64f2\" stroke-width=\"1.5\" points=\"")
        .append(polyline.toString().trim())
        .append("\"/></g></svg></figure>");
  }

  private static void emergingTerms(StringBuilder html, List<JsonNode> reports) {
    for (int i = reports.size() - 1; i >= 0; i--) {
      JsonNode terms = at(reports.get(i), "scores.vocabulary.emerging_terms");
      if (terms.isArray() && !terms.isEmpty()) {
        html.append("<h2>Emerging terms</h2><p><small>Window ")
            .append(escape(reports.get(i).path("window").path("start").asText()))
            .append(": the terms whose share rose most against the reference.</small></p>")
            .append(
                "<table><tr><th>Term</th><th>Current</th><th>Reference</th><th>Score</th></tr>");
        for (JsonNode term : terms) {
          html.append("<tr><td>")
              .append(escape(term.path("term").asText()))
              .append("</td><td>")
              .append(term.path("current_count").asLong())
              .append("</td><td>")
              .append(term.path("reference_count").asLong())
              .append("</td><td>")
              .append(String.format(Locale.ROOT, "%.2f", term.path("score").asDouble()))
              .append("</td></tr>");
        }
        html.append("</table>");
        return;
      }
    }
  }

  private static double y(double value, double min, double max, int height) {
    return height - (value - min) / (max - min) * height;
  }

  private static JsonNode at(JsonNode node, String path) {
    JsonNode current = node;
    for (String part : path.split("\\.")) {
      current = current.path(part);
    }
    return current;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
