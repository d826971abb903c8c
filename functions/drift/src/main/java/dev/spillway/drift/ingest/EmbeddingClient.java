package dev.spillway.drift.ingest;

import dev.spillway.drift.api.DriftError;
import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.config.DriftConfig;
import dev.spillway.events.aws.SigV4Signer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Embeds texts through the embedding function's OpenAI-compatible {@code POST /v1/embeddings}, in
 * batches of {@code drift.embedding.batch-size} sent a few at a time (the embedding function
 * batches across callers itself; several calls in flight keep it busy). Non-blocking; thread-safe.
 *
 * <p>A failure (unreachable, timeout, non-2xx, a vector of the wrong dimension) fails the whole
 * call with a {@link DriftException} {@code dependency_unavailable}: nothing of the request is
 * stored, so the client can resend it.
 */
@Singleton
public class EmbeddingClient {

  private static final int CALLS_IN_FLIGHT = 4;

  private final WebClient client;
  private final String path;
  private final String model;
  private final int batchSize;
  private final int dimensions;
  private final long timeoutMs;
  private final URI endpoint;
  private final Optional<SigV4Signer> signer;

  public EmbeddingClient(DriftConfig config, Vertx vertx) {
    URI url = config.embedding().url();
    // On Lambda the embedding function's URL is IAM-authorised: calls are signed with this
    // function's role (SigV4, service lambda); any other URL is called as it is.
    this.signer = SigV4Signer.forEndpoint(url, System.getenv(), Clock.systemUTC());
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setSsl(tls)
                .setDefaultHost(url.getHost())
                .setDefaultPort(url.getPort() > 0 ? url.getPort() : (tls ? 443 : 80))
                .setConnectTimeout(2_000)
                .setMaxPoolSize(CALLS_IN_FLIGHT));
    String base = url.getRawPath() == null ? "" : url.getRawPath();
    this.path =
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/embeddings";
    this.endpoint = url.resolve(path);
    this.model = config.embedding().model();
    this.batchSize = config.embedding().batchSize();
    this.dimensions = config.dimensions();
    this.timeoutMs = config.embedding().timeout().toMillis();
  }

  /** The vectors of {@code texts}, in order. */
  public Uni<List<float[]>> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<List<String>> batches = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += batchSize) {
      batches.add(texts.subList(from, Math.min(texts.size(), from + batchSize)));
    }
    List<Uni<List<float[]>>> calls = new ArrayList<>();
    for (List<String> batch : batches) {
      calls.add(embedBatch(batch));
    }
    return Uni.join()
        .all(calls)
        .usingConcurrencyOf(CALLS_IN_FLIGHT)
        .andFailFast()
        .map(
            parts -> {
              List<float[]> all = new ArrayList<>(texts.size());
              parts.forEach(all::addAll);
              return all;
            });
  }

  private Uni<List<float[]>> embedBatch(List<String> batch) {
    Buffer body =
        new JsonObject().put("model", model).put("input", new JsonArray(batch)).toBuffer();
    var request =
        client.post(path).timeout(timeoutMs).putHeader("content-type", "application/json");
    signer.ifPresent(s -> s.sign("POST", endpoint, body.getBytes()).forEach(request::putHeader));
    return request
        .sendBuffer(io.vertx.mutiny.core.buffer.Buffer.newInstance(body))
        .onFailure()
        .transform(
            failure ->
                new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The embedding function did not answer: " + failure.getMessage()))
        .map(
            response -> {
              if (response.statusCode() / 100 != 2) {
                throw new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The embedding function answered " + response.statusCode() + ".");
              }
              JsonArray data = response.bodyAsJsonObject().getJsonArray("data");
              if (data == null || data.size() != batch.size()) {
                throw new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The embedding function answered a different number of vectors.");
              }
              float[][] vectors = new float[batch.size()][];
              for (int i = 0; i < data.size(); i++) {
                JsonObject item = data.getJsonObject(i);
                JsonArray values = item.getJsonArray("embedding");
                if (values == null || values.size() != dimensions) {
                  throw new DriftException(
                      DriftError.DEPENDENCY_UNAVAILABLE,
                      "The embedding model's vectors do not have "
                          + dimensions
                          + " dimensions (drift.dimensions).");
                }
                float[] vector = new float[dimensions];
                for (int d = 0; d < dimensions; d++) {
                  vector[d] = values.getNumber(d).floatValue();
                }
                vectors[item.getInteger("index", i)] = vector;
              }
              return List.of(vectors);
            });
  }

  @PreDestroy
  void close() {
    client.close();
  }
}
