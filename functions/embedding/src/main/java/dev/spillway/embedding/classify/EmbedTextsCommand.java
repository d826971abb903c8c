package dev.spillway.embedding.classify;

import dev.spillway.embedding.model.ModelRegistry;
import dev.spillway.embedding.model.ModelSpec;
import dev.spillway.embedding.onnx.Device;
import dev.spillway.embedding.onnx.EmbeddingModel;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Embeds texts offline with the real model and writes them as an embeddings file, the input of
 * {@code bin/spillway router train|eval} (which never runs ONNX itself, as the gateway asks this
 * function for embeddings over HTTP).
 *
 * <p>Input: a file of texts separated by NUL bytes (prompts hold line breaks and commas). Output
 * format {@code spillway.embeddings.v1}: the magic {@code SPWEMB01}, the model id (UTF), the
 * dimension and the count (ints), then per distinct text its SHA-256 (32 bytes) and its vector
 * (floats, big-endian).
 *
 * <pre>
 * EmbedTextsCommand --models-dir DIR --model ID --in texts.nul --out embeddings.bin
 * </pre>
 */
public final class EmbedTextsCommand {

  /** The file's first bytes. */
  public static final String MAGIC = "SPWEMB01";

  private EmbedTextsCommand() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    for (String required : List.of("models-dir", "model", "in", "out")) {
      if (!options.containsKey(required)) {
        System.err.println(
            "usage: EmbedTextsCommand --models-dir DIR --model ID --in texts.nul --out FILE");
        System.exit(2);
      }
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String text :
        Files.readString(Path.of(options.get("in")), StandardCharsets.UTF_8).split("\0")) {
      if (!text.isEmpty()) {
        distinct.add(text);
      }
    }
    List<String> texts = new ArrayList<>(distinct);
    ModelSpec spec =
        ModelRegistry.load(Path.of(options.get("models-dir")))
            .model(options.get("model"))
            .orElseThrow(
                () -> new IllegalArgumentException("unknown model " + options.get("model")));
    long started = System.nanoTime();
    float[][] vectors;
    try (EmbeddingModel model =
        EmbeddingModel.load(spec, TrainHeadCommand.defaultSettings(), Device.CPU)) {
      vectors = TrainHeadCommand.embedAll(model, texts);
    }
    write(Path.of(options.get("out")), spec.id(), texts, vectors);
    System.out.printf(
        "embedded %d texts with %s in %.1f s into %s%n",
        texts.size(), spec.id(), (System.nanoTime() - started) / 1e9, options.get("out"));
  }

  static void write(Path out, String model, List<String> texts, float[][] vectors)
      throws IOException {
    try (OutputStream file = Files.newOutputStream(out);
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(file, 1 << 16))) {
      data.writeBytes(MAGIC);
      data.writeUTF(model);
      data.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
      data.writeInt(vectors.length);
      for (int i = 0; i < vectors.length; i++) {
        data.write(sha256(texts.get(i)));
        for (float v : vectors[i]) {
          data.writeFloat(v);
        }
      }
    }
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
