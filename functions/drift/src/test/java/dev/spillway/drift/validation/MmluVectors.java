package dev.spillway.drift.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.datasets.mmlu.MmluDataset;
import dev.spillway.datasets.mmlu.MmluSubjectGroups;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The MMLU prompts of the validation, embedded by the real embedding function over HTTP: every STEM
 * prompt, and a seeded random choice of humanities prompts (MMLU's humanities group: history,
 * philosophy, law). Vectors are cached under {@code target/drift-validation/}, keyed by the model
 * and the prompts, so that a second run in the same build does not embed again.
 *
 * @param stemTexts STEM prompts, shuffled by the seed
 * @param stem their vectors
 * @param humanitiesTexts humanities prompts, shuffled by the seed
 * @param humanities their vectors
 */
public record MmluVectors(
    List<String> stemTexts, float[][] stem, List<String> humanitiesTexts, float[][] humanities) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Loads and embeds.
   *
   * @param mmlu the MMLU folder
   * @param embeddingUrl the embedding function's base URL
   * @param model the model to embed with
   * @param humanitiesCount how many humanities prompts to take
   * @param seed shuffles both groups
   */
  public static MmluVectors load(
      Path mmlu, String embeddingUrl, String model, int humanitiesCount, long seed) {
    List<String> stem = new ArrayList<>();
    List<String> humanities = new ArrayList<>();
    for (MmluDataset.Prompt prompt : MmluDataset.load(mmlu)) {
      String group = MmluSubjectGroups.group(prompt.subject()).orElseThrow();
      if (MmluSubjectGroups.STEM.equals(group)) {
        stem.add(prompt.text());
      } else if (MmluSubjectGroups.HUMANITIES.equals(group)) {
        humanities.add(prompt.text());
      }
    }
    Collections.shuffle(stem, new Random(seed));
    Collections.shuffle(humanities, new Random(seed + 1));
    humanities =
        new ArrayList<>(humanities.subList(0, Math.min(humanitiesCount, humanities.size())));
    return new MmluVectors(
        stem, embed(embeddingUrl, model, stem), humanities, embed(embeddingUrl, model, humanities));
  }

  static float[][] embed(String url, String model, List<String> texts) {
    Path cache = Path.of("target", "drift-validation", model + "-" + digest(texts) + ".bin");
    if (Files.isRegularFile(cache)) {
      return read(cache, texts.size());
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int batch = 64;
    List<CompletableFuture<float[][]>> calls = new ArrayList<>();
    float[][] vectors = new float[texts.size()][];
    // Two calls in flight: the embedding function batches across them; more would only queue.
    for (int from = 0; from < texts.size(); from += 2 * batch) {
      calls.clear();
      int[] starts = {from, from + batch};
      for (int start : starts) {
        if (start < texts.size()) {
          calls.add(
              call(
                  client, url, model, texts.subList(start, Math.min(texts.size(), start + batch))));
        }
      }
      for (int c = 0; c < calls.size(); c++) {
        float[][] part = calls.get(c).join();
        System.arraycopy(part, 0, vectors, starts[c], part.length);
      }
    }
    write(cache, vectors);
    return vectors;
  }

  private static CompletableFuture<float[][]> call(
      HttpClient client, String url, String model, List<String> texts) {
    ObjectNode body = JSON.createObjectNode().put("model", model);
    texts.forEach(body.putArray("input")::add);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/v1/embeddings"))
            .timeout(Duration.ofSeconds(120))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "the embedding function answered "
                        + response.statusCode()
                        + ": "
                        + response.body());
              }
              try {
                JsonNode data = JSON.readTree(response.body()).path("data");
                float[][] out = new float[texts.size()][];
                for (JsonNode item : data) {
                  JsonNode values = item.path("embedding");
                  float[] v = new float[values.size()];
                  for (int d = 0; d < v.length; d++) {
                    v[d] = (float) values.get(d).asDouble();
                  }
                  out[item.path("index").asInt()] = v;
                }
                return out;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private static String digest(List<String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String text : texts) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path file, float[][] vectors) {
    try {
      Files.createDirectories(file.getParent());
      try (DataOutputStream out =
          new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
        out.writeInt(vectors.length);
        out.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
        for (float[] v : vectors) {
          for (float x : v) {
            out.writeFloat(x);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static float[][] read(Path file, int expected) {
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      int d = in.readInt();
      if (n != expected) {
        throw new IllegalStateException(file + " holds " + n + " vectors, expected " + expected);
      }
      float[][] vectors = new float[n][d];
      for (float[] v : vectors) {
        for (int i = 0; i < d; i++) {
          v[i] = in.readFloat();
        }
      }
      return vectors;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
