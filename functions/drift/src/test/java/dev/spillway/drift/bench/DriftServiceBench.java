package dev.spillway.drift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The drift function's performance figures over HTTP against a running function and its PostgreSQL:
 * ingestion of vectors (samples/s, batches of 500 beside single-sample requests, the baseline, in
 * the same run) and the time of a full report for 2,000 reference x 2,000 current samples with 200
 * permutations (client wall time and the function's own compute time). Prints Markdown.
 *
 * <p>Usage: {@code DriftServiceBench <drift-url> <admin-key> [samples=20000] [reports=5]}.
 */
public final class DriftServiceBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DIM = 384;

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String admin = "Bearer " + args[1];
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int reports = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    SplittableRandom random = new SplittableRandom(7);
    double[][] topics = topics(12, random);

    // Ingestion: every sample kept (each batch goes to a window of its own, under the reservoir's
    // size), so each one is a row written.
    String tenant = "bench-" + run;
    put(client, url + "/tenants/" + tenant, admin, "{\"window\":\"1h\",\"reservoir_size\":10000}");
    StringBuilder md = new StringBuilder();
    md.append("### Ingestion (vectors of 384 floats, every sample kept)\n\n")
        .append("| Requests | Samples | Wall | Samples/s |\n|---|---|---|---|\n");
    int single = Math.min(1_000, samples / 10);
    md.append(ingest(client, url, admin, tenant, "single", single, 1, 2, topics, random));
    for (int concurrency : new int[] {1, 2, 4}) {
      md.append(
          ingest(
              client,
              url,
              admin,
              tenant,
              "c" + concurrency,
              samples,
              500,
              concurrency,
              topics,
              random));
    }

    // A full report: 2,000 uploaded reference samples against a window of 2,000.
    String feature = "report";
    String base = url + "/tenants/" + tenant + "/features/" + feature;
    StringBuilder reference = new StringBuilder("{\"samples\":[");
    for (int i = 0; i < 2_000; i++) {
      reference
          .append(i == 0 ? "" : ",")
          .append("{\"vector\":")
          .append(vector(topics, random, 0))
          .append('}');
    }
    reference.append("]}");
    put(client, base + "/reference", admin, reference.toString());
    String window = Instant.now().truncatedTo(ChronoUnit.HOURS).toString();
    for (int batch = 0; batch < 4; batch++) {
      StringBuilder body = new StringBuilder("{\"at\":\"" + window + "\",\"samples\":[");
      for (int i = 0; i < 500; i++) {
        body.append(i == 0 ? "" : ",")
            .append("{\"vector\":")
            .append(vector(topics, random, 0.3))
            .append('}');
      }
      body.append("]}");
      post(client, base + "/samples", admin, body.toString());
    }
    long[] wall = new long[reports];
    long[] compute = new long[reports];
    String verdict = "";
    for (int r = 0; r < reports; r++) {
      long start = System.nanoTime();
      JsonNode report = post(client, base + "/reports", admin, "{\"window\":\"" + window + "\"}");
      wall[r] = (System.nanoTime() - start) / 1_000_000;
      compute[r] = report.path("compute_millis").asLong();
      verdict =
          report.path("verdict").asText()
              + " (p = "
              + report.path("scores").path("mmd").path("p_value").asDouble()
              + ")";
    }
    md.append(
        String.format(
            Locale.ROOT,
            "%n### A full report: 2,000 reference x 2,000 current samples, 200 permutations%n%n"
                + "%d reports in a row (the first includes JIT compilation). Wall time at the"
                + " client (HTTP, loading 4,000 vectors and term counts from PostgreSQL,"
                + " scoring, storing): %s ms, median **%d ms**; scoring alone (the report's"
                + " compute_millis): %s ms, median %d ms. Verdict: %s.%n",
            reports,
            Arrays.toString(wall),
            median(wall),
            Arrays.toString(compute),
            median(compute),
            verdict));
    System.out.print(md);
  }

  private static String ingest(
      HttpClient client,
      String url,
      String admin,
      String tenant,
      String feature,
      int samples,
      int batch,
      int concurrency,
      double[][] topics,
      SplittableRandom random)
      throws Exception {
    List<String> bodies = new ArrayList<>();
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    for (int from = 0; from < samples; from += batch) {
      String at = hour.minus(from / 5_000, ChronoUnit.HOURS).toString();
      StringBuilder body = new StringBuilder("{\"at\":\"" + at + "\",\"samples\":[");
      for (int i = from; i < Math.min(samples, from + batch); i++) {
        body.append(i == from ? "" : ",")
            .append("{\"vector\":")
            .append(vector(topics, random, 0))
            .append('}');
      }
      bodies.add(body.append("]}").toString());
    }
    String path = url + "/tenants/" + tenant + "/features/" + feature + "/samples";
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> calls = new ArrayList<>();
    for (String body : bodies) {
      calls.add(pool.submit(() -> post(client, path, admin, body)));
    }
    for (Future<?> call : calls) {
      call.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    return String.format(
        Locale.ROOT,
        "| %d of %d sample%s, %d at a time | %d | %.2f s | **%.0f** |%n",
        bodies.size(),
        batch,
        batch == 1 ? "" : "s",
        concurrency,
        samples,
        seconds,
        samples / seconds);
  }

  /**
   * A unit vector near one of the topics (a topic mixture, tilted towards topic 0 by {@code tilt}).
   */
  private static String vector(double[][] topics, SplittableRandom random, double tilt) {
    double[] centre = topics[random.nextDouble() < tilt ? 0 : random.nextInt(topics.length)];
    double[] v = new double[DIM];
    double norm = 0;
    for (int d = 0; d < DIM; d++) {
      v[d] = centre[d] + 0.9 * random.nextGaussian() / Math.sqrt(DIM);
      norm += v[d] * v[d];
    }
    StringBuilder text = new StringBuilder(DIM * 10).append('[');
    for (int d = 0; d < DIM; d++) {
      text.append(d == 0 ? "" : ",").append((float) (v[d] / Math.sqrt(norm)));
    }
    return text.append(']').toString();
  }

  private static double[][] topics(int count, SplittableRandom random) {
    double[][] topics = new double[count][DIM];
    for (double[] topic : topics) {
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        topic[d] = random.nextGaussian();
        norm += topic[d] * topic[d];
      }
      for (int d = 0; d < DIM; d++) {
        topic[d] /= Math.sqrt(norm);
      }
    }
    return topics;
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void put(HttpClient client, String url, String admin, String body)
      throws IOException, InterruptedException {
    send(
        client,
        HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(body)),
        admin);
  }

  private static JsonNode post(HttpClient client, String url, String admin, String body) {
    try {
      return send(
          client,
          HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)),
          admin);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode send(HttpClient client, HttpRequest.Builder request, String admin)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            request
                .header("authorization", admin)
                .header("content-type", "application/json")
                .timeout(Duration.ofSeconds(120))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          request.build().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }
}
