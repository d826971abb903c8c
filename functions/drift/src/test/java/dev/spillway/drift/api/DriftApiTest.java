package dev.spillway.drift.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.drift.it.EmbeddingFunction;
import dev.spillway.drift.it.EventSink;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The drift function over HTTP against the real PostgreSQL with pgvector and the real embedding
 * function (a separate process): tenants, samples (vectors and texts), the reservoir, references,
 * the corpus, reports with their verdicts and alerts, the page, events, and bad input.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddingFunction.class)
@QuarkusTestResource(EventSink.class)
class DriftApiTest {

  static final String ADMIN = "Bearer sk-spillway-admin-local-dev";
  static final int DIM = 384;

  /** Tenants unique to this run: the database outlives a run. */
  static final String RUN = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

  static String tenant(String name) {
    String tenant = name + "-" + RUN;
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("window", "1h", "reservoir_size", 50, "min_samples", 20))
        .put("/tenants/" + tenant)
        .then()
        .statusCode(201);
    return tenant;
  }

  /** {@code n} unit vectors scattered around {@code centre} (seeded). */
  static List<float[]> cluster(long centre, int n, long seed) {
    SplittableRandom c = new SplittableRandom(centre);
    double[] mean = new double[DIM];
    for (int d = 0; d < DIM; d++) {
      mean[d] = c.nextGaussian();
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[DIM];
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        double x = mean[d] + 1.2 * random.nextGaussian();
        v[d] = (float) x;
        norm += x * x;
      }
      for (int d = 0; d < DIM; d++) {
        v[d] /= (float) Math.sqrt(norm);
      }
      vectors.add(v);
    }
    return vectors;
  }

  static List<Map<String, Object>> samples(List<float[]> vectors) {
    List<Map<String, Object>> samples = new ArrayList<>();
    for (float[] v : vectors) {
      samples.add(Map.of("vector", list(v)));
    }
    return samples;
  }

  /** As a list: REST Assured does not write a {@code float[]} as a JSON array. */
  static List<Float> list(float[] vector) {
    List<Float> values = new ArrayList<>(vector.length);
    for (float x : vector) {
      values.add(x);
    }
    return values;
  }

  static Response post(String path, Object body) {
    return given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(body)
        .post(path);
  }

  @Test
  void tenantsAreAdministeredWithTheAdminKeyOnly() {
    String t = tenant("admin");
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("keep_text", true))
        .put("/tenants/" + t)
        .then()
        .statusCode(200)
        .body("keep_text", equalTo(true))
        .body("version", equalTo(2))
        .body("window", equalTo("PT1H"));
    given().get("/tenants/" + t).then().statusCode(401).contentType("application/problem+json");
    given()
        .header("Authorization", "Bearer sk-not-a-key")
        .get("/tenants/" + t)
        .then()
        .statusCode(401)
        .body("code", equalTo("unauthorized"));
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("reservoir_size", 5))
        .put("/tenants/" + t)
        .then()
        .statusCode(400)
        .body("detail", containsString("reservoir_size"));
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("window", "a week"))
        .put("/tenants/" + t)
        .then()
        .statusCode(400)
        .body("detail", containsString("window"));
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body("{\"windw\":\"1h\"}")
        .put("/tenants/" + t)
        .then()
        .statusCode(400)
        .body("detail", containsString("windw"));
    given().header("Authorization", ADMIN).delete("/tenants/" + t).then().statusCode(204);
    given().header("Authorization", ADMIN).get("/tenants/" + t).then().statusCode(404);
  }

  /**
   * Java's HttpClient asks for cleartext HTTP/2 by upgrade by default; a request with a body must
   * still be read (it was a 500 while the server accepted the upgrade).
   */
  @Test
  void aClientAskingForAnHttp2UpgradeIsServed() throws Exception {
    String t = tenant("h2c");
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> response =
        client.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://localhost:"
                            + io.restassured.RestAssured.port
                            + "/tenants/"
                            + t
                            + "/features/search/samples"))
                .header("Authorization", ADMIN)
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(Map.of("samples", samples(cluster(1, 10, 1))))))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(202, response.statusCode(), response.body());
  }

  @Test
  void badSamplesAreRefusedNamingTheProblem() {
    String t = tenant("bad");
    String path = "/tenants/" + t + "/features/search/samples";
    post(path, Map.of("samples", List.of(Map.of("vector", list(new float[12])))))
        .then()
        .statusCode(400)
        .body("detail", containsString("samples[0].vector' has 12 dimensions"));
    post(path, Map.of("samples", List.of()))
        .then()
        .statusCode(400)
        .body("detail", containsString("at least one"));
    post(path, Map.of("samples", List.of(Map.of("vector", list(new float[DIM])))))
        .then()
        .statusCode(400)
        .body("detail", containsString("all zeros"));
    post(path, Map.of("samples", List.of(Map.of("text", " "))))
        .then()
        .statusCode(400)
        .body("detail", containsString("blank"));
    post(path, Map.of("samples", List.of(Map.of()))).then().statusCode(400);
    post(path, "{not json").then().statusCode(400).body("code", equalTo("invalid_json"));
    post(
            path,
            Map.of(
                "samples",
                samples(cluster(1, 1, 1)),
                "at",
                Instant.now().minus(40, ChronoUnit.DAYS).toString()))
        .then()
        .statusCode(400)
        .body("detail", containsString("'at'"));
    post(
            "/tenants/nobody-" + RUN + "/features/search/samples",
            Map.of("samples", samples(cluster(1, 1, 1))))
        .then()
        .statusCode(404)
        .body("detail", containsString("PUT /tenants/nobody-" + RUN));
    post(
            "/tenants/" + t + "/features/bad feature/samples",
            Map.of("samples", samples(cluster(1, 1, 1))))
        .then()
        .statusCode(400);
  }

  @Test
  void aWindowKeepsAUniformReservoirOfBoundedSize() {
    String t = tenant("reservoir");
    String path = "/tenants/" + t + "/features/search/samples";
    String at = Instant.now().toString();
    for (int batch = 0; batch < 3; batch++) {
      post(path, Map.of("samples", samples(cluster(1, 40, batch)), "at", at))
          .then()
          .statusCode(202)
          .body("accepted", equalTo(40))
          .body("window_seen", equalTo(40 * (batch + 1)));
    }
    given()
        .header("Authorization", ADMIN)
        .get("/tenants/" + t + "/features/search/windows")
        .then()
        .statusCode(200)
        .body("", hasSize(1))
        .body("[0].seen", equalTo(120))
        .body("[0].kept", equalTo(50));
  }

  /** A longer window that starts where a shorter one did takes it over, samples and all. */
  @Test
  void aLongerWindowLengthTakesOverTheWindowStartingWithIt() {
    String t = tenant("length");
    String base = "/tenants/" + t + "/features/search";
    Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    post(
            base + "/samples",
            Map.of("samples", samples(cluster(1, 3, 1)), "at", day.plusSeconds(600).toString()))
        .then()
        .statusCode(202);
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("window", "1d", "reservoir_size", 50, "min_samples", 20))
        .put("/tenants/" + t)
        .then()
        .statusCode(200);
    post(
            base + "/samples",
            Map.of("samples", samples(cluster(1, 4, 2)), "at", day.plusSeconds(7_200).toString()))
        .then()
        .statusCode(202)
        .body("window_seen", equalTo(7));
    given()
        .header("Authorization", ADMIN)
        .get(base + "/windows")
        .then()
        .body("", hasSize(1))
        .body("[0].end", equalTo(day.plus(1, ChronoUnit.DAYS).toString()))
        .body("[0].kept", equalTo(7));
  }

  /** Concurrent batches for one window take their reservoir slots one after the other. */
  @Test
  void concurrentBatchesIntoOneWindowAreAllCounted() throws Exception {
    String t = tenant("concurrent");
    String at = Instant.now().toString();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<Integer>> calls = new ArrayList<>();
    for (int batch = 0; batch < 8; batch++) {
      int seed = batch;
      calls.add(
          pool.submit(
              () ->
                  post(
                          "/tenants/" + t + "/features/search/samples",
                          Map.of("samples", samples(cluster(1, 20, seed)), "at", at))
                      .statusCode()));
    }
    for (java.util.concurrent.Future<Integer> call : calls) {
      assertEquals(202, call.get());
    }
    pool.shutdown();
    given()
        .header("Authorization", ADMIN)
        .get("/tenants/" + t + "/features/search/windows")
        .then()
        .body("[0].seen", equalTo(160))
        .body("[0].kept", equalTo(50));
  }

  @Test
  void textsAreEmbeddedByTheEmbeddingFunctionAndCountedAsTerms() {
    String t = tenant("texts");
    String path = "/tenants/" + t + "/features/search/samples";
    List<Map<String, Object>> texts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      texts.add(
          Map.of("text", "What is the kinetic energy of a proton moving at speed " + i + " m/s?"));
    }
    post(path, Map.of("samples", texts))
        .then()
        .statusCode(202)
        .body("accepted", equalTo(30))
        .body("embedded", equalTo(30));
  }

  @Test
  void referencesNeedEnoughSamples() {
    String t = tenant("reference");
    String base = "/tenants/" + t + "/features/search";
    String at = Instant.now().toString();
    Response ingested =
        post(base + "/samples", Map.of("samples", samples(cluster(1, 5, 1)), "at", at));
    ingested.then().statusCode(202);
    String window = ingested.path("window_start");
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("window", window))
        .put(base + "/reference")
        .then()
        .statusCode(422)
        .body("detail", containsString("at least 20"));
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", samples(cluster(1, 10, 2))))
        .put(base + "/reference")
        .then()
        .statusCode(422);
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("window", window, "samples", samples(cluster(1, 30, 2))))
        .put(base + "/reference")
        .then()
        .statusCode(400)
        .body("detail", containsString("exactly one"));
    post(base + "/reports", Map.of())
        .then()
        .statusCode(422)
        .body("detail", containsString("no reference"));
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", samples(cluster(1, 30, 2))))
        .put(base + "/reference")
        .then()
        .statusCode(200)
        .body("kind", equalTo("uploaded"))
        .body("samples", equalTo(30));
    // Five samples in the window: a report, but no verdict.
    post(base + "/reports", Map.of("window", window))
        .then()
        .statusCode(201)
        .body("verdict", equalTo("insufficient_data"))
        .body("reason", containsString("kept 5 samples"));
  }

  @Test
  void aShiftedWindowIsDriftAndTheFlipRaisesAnAlert() {
    String t = tenant("verdict");
    String base = "/tenants/" + t + "/features/search";
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", samples(cluster(1, 50, 10))))
        .put(base + "/reference")
        .then()
        .statusCode(200);
    post(base + "/corpus", Map.of("documents", samples(cluster(1, 40, 11))))
        .then()
        .statusCode(200)
        .body("documents", equalTo(40));
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    String earlier = hour.minus(2, ChronoUnit.HOURS).toString();
    String later = hour.minus(1, ChronoUnit.HOURS).toString();
    post(base + "/samples", Map.of("samples", samples(cluster(1, 50, 12)), "at", earlier))
        .then()
        .statusCode(202);
    post(base + "/samples", Map.of("samples", samples(cluster(2, 50, 13)), "at", later))
        .then()
        .statusCode(202);

    post(base + "/reports", Map.of("window", earlier))
        .then()
        .statusCode(201)
        .body("verdict", equalTo("no_drift"))
        .body("scores.mmd.p_value", greaterThan(0.05f))
        .body("scores.coverage.corpus_documents", equalTo(40))
        .body("flipped", equalTo(false));
    Response drift = post(base + "/reports", Map.of("window", later));
    drift
        .then()
        .statusCode(201)
        .body("verdict", equalTo("drift"))
        .body("previous_verdict", equalTo("no_drift"))
        .body("flipped", equalTo(true))
        .body("scores.mmd.p_value", org.hamcrest.Matchers.lessThan(0.05f))
        .body("scores.domain_classifier.statistic", greaterThan(0.9f))
        .body("scores.centroid.verdict", equalTo("drift"))
        .body("scores.coverage.low_share", notNullValue());
    int id = drift.path("id");
    given()
        .header("Authorization", ADMIN)
        .get(base + "/reports/" + id)
        .then()
        .statusCode(200)
        .body("verdict", equalTo("drift"));
    given()
        .header("Authorization", ADMIN)
        .get(base + "/reports")
        .then()
        .statusCode(200)
        .body("", hasSize(2))
        .body("[0].id", equalTo(id));
    long deadline = System.nanoTime() + 10_000_000_000L;
    List<EventSink.Received> alerts = List.of();
    while (System.nanoTime() < deadline) {
      alerts =
          EventSink.received().stream().filter(e -> (t + "/search").equals(e.subject())).toList();
      if (!alerts.isEmpty()) {
        break;
      }
      Thread.onSpinWait();
    }
    assertEquals(1, alerts.size(), "one flip, one alert: " + alerts);
    assertEquals("dev.spillway.drift.detected", alerts.get(0).type());
    assertTrue(alerts.get(0).body().contains("\"verdict\":\"drift\""), alerts.get(0).body());

    String page =
        given()
            .header("Authorization", ADMIN)
            .get(base + "/reports.html")
            .then()
            .statusCode(200)
            .contentType(containsString("text/html"))
            .extract()
            .asString();
    assertTrue(page.contains("MMD permutation p-value") && page.contains("<svg"), page);
    assertTrue(page.contains("class=\"verdict drift\""), "the latest verdict is shown");
  }

  @Test
  void aFirstVerdictOfDriftIsAFlip() {
    String t = tenant("first");
    String base = "/tenants/" + t + "/features/search";
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", samples(cluster(4, 40, 1))))
        .put(base + "/reference")
        .then()
        .statusCode(200);
    post(base + "/samples", Map.of("samples", samples(cluster(5, 40, 2)))).then().statusCode(202);
    post(base + "/reports", Map.of())
        .then()
        .statusCode(201)
        .body("verdict", equalTo("drift"))
        .body("flipped", equalTo(true))
        .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("previous_verdict")));
  }

  @Test
  void sampledQueryEventsAreConsumedOnce() {
    String t = tenant("events");
    Map<String, Object> data = new HashMap<>();
    data.put("request_id", "req-1");
    data.put("tenant", t);
    data.put("feature", "chat");
    data.put("route", "gpt-4o-mini");
    data.put("text", "Which court hears appeals from the federal district courts?");
    data.put("sample_rate", 0.1);
    for (int delivery = 0; delivery < 2; delivery++) {
      given()
          .header("ce-specversion", "1.0")
          .header("ce-id", "evt-" + t)
          .header("ce-source", "/spillway/gateway")
          .header("ce-type", "dev.spillway.query.sampled")
          .contentType(ContentType.JSON)
          .body(data)
          .post("/")
          .then()
          .statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(204)));
    }
    given()
        .header("Authorization", ADMIN)
        .get("/tenants/" + t + "/features/chat/windows")
        .then()
        .statusCode(200)
        .body("[0].seen", equalTo(1));
    data.put("tenant", "nobody-" + RUN);
    given()
        .header("ce-specversion", "1.0")
        .header("ce-id", "evt-unknown-" + t)
        .header("ce-source", "/spillway/gateway")
        .header("ce-type", "dev.spillway.query.sampled")
        .contentType(ContentType.JSON)
        .body(data)
        .post("/")
        .then()
        .statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(204)));
    data.remove("text");
    given()
        .header("ce-specversion", "1.0")
        .header("ce-id", "evt-bad-" + t)
        .header("ce-source", "/spillway/gateway")
        .header("ce-type", "dev.spillway.query.sampled")
        .contentType(ContentType.JSON)
        .body(data)
        .post("/")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", containsString("text"));
  }

  @jakarta.inject.Inject dev.spillway.drift.schedule.RetentionSweep retention;

  @Test
  void windowsPastRetentionAreRemovedWithTheirSamples() {
    String t = tenant("retention");
    String base = "/tenants/" + t + "/features/search";
    Instant old = Instant.now().minus(20, ChronoUnit.DAYS);
    post(base + "/samples", Map.of("samples", samples(cluster(1, 5, 1)), "at", old.toString()))
        .then()
        .statusCode(202);
    post(base + "/samples", Map.of("samples", samples(cluster(1, 5, 2)))).then().statusCode(202);
    given().header("Authorization", ADMIN).get(base + "/windows").then().body("", hasSize(2));
    // 90 days of retention, 80 days from now: the 20-day-old window is past it, today's is not.
    int removed =
        retention
            .sweep(Instant.now().plus(80, ChronoUnit.DAYS))
            .await()
            .atMost(java.time.Duration.ofSeconds(30));
    assertTrue(removed >= 1, "removed " + removed);
    given()
        .header("Authorization", ADMIN)
        .get(base + "/windows")
        .then()
        .body("", hasSize(1))
        .body("[0].seen", equalTo(5));
  }

  @Test
  void theScheduleEntryPointReportsEveryEndedWindowOnce() throws Exception {
    String t = tenant("schedule");
    String base = "/tenants/" + t + "/features/search";
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", samples(cluster(3, 30, 1))))
        .put(base + "/reference")
        .then()
        .statusCode(200);
    String ended =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS).toString();
    post(base + "/samples", Map.of("samples", samples(cluster(3, 30, 2)), "at", ended))
        .then()
        .statusCode(202);
    int first = post("/drift-run", Map.of()).then().statusCode(200).extract().path("reports");
    assertTrue(first >= 1, "the ended window was reported");
    given().header("Authorization", ADMIN).get(base + "/reports").then().body("", hasSize(1));
    post("/drift-run", Map.of()).then().statusCode(200);
    given().header("Authorization", ADMIN).get(base + "/reports").then().body("", hasSize(1));

    // Concurrent runs (replicas, or a schedule beside a manual call) store one report per window.
    String other = "/tenants/" + t + "/features/other";
    given()
        .header("Authorization", ADMIN)
        .contentType(ContentType.JSON)
        .body(Map.of("samples", samples(cluster(3, 30, 3))))
        .put(other + "/reference")
        .then()
        .statusCode(200);
    post(other + "/samples", Map.of("samples", samples(cluster(3, 30, 4)), "at", ended))
        .then()
        .statusCode(202);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(pool.submit(() -> post("/drift-run", Map.of()).statusCode()));
    }
    for (java.util.concurrent.Future<Integer> run : runs) {
      assertEquals(200, run.get());
    }
    pool.shutdown();
    given().header("Authorization", ADMIN).get(other + "/reports").then().body("", hasSize(1));
  }
}
