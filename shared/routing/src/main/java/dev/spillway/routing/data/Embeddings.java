package dev.spillway.routing.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prompt embeddings computed offline by the embedding function's {@code EmbedTextsCommand} (format
 * {@code spillway.embeddings.v1}), looked up by the SHA-256 of the prompt's text. The router never
 * runs a model itself: in the gateway the vector comes from the embedding function. Immutable and
 * thread-safe.
 */
public final class Embeddings {

  private static final String MAGIC = "SPWEMB01";

  private final String model;
  private final int dimension;
  private final Map<ByteBuffer, float[]> vectors;

  private Embeddings(String model, int dimension, Map<ByteBuffer, float[]> vectors) {
    this.model = model;
    this.dimension = dimension;
    this.vectors = vectors;
  }

  /** Reads a file; a wrong magic or a truncated file is an {@link IllegalArgumentException}. */
  public static Embeddings read(Path file) {
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
      byte[] magic = new byte[MAGIC.length()];
      data.readFully(magic);
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new IllegalArgumentException(file + " is not an embeddings file (no " + MAGIC + ")");
      }
      String model = data.readUTF();
      int dimension = data.readInt();
      int count = data.readInt();
      Map<ByteBuffer, float[]> vectors = new HashMap<>(count * 2);
      for (int i = 0; i < count; i++) {
        byte[] key = new byte[32];
        data.readFully(key);
        float[] vector = new float[dimension];
        for (int d = 0; d < dimension; d++) {
          vector[d] = data.readFloat();
        }
        vectors.put(ByteBuffer.wrap(key), vector);
      }
      return new Embeddings(model, dimension, vectors);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The embedding model that produced the vectors. */
  public String model() {
    return model;
  }

  public int dimension() {
    return dimension;
  }

  /** The vector of {@code text}; an {@link IllegalArgumentException} when the file lacks it. */
  public float[] of(String text) {
    float[] vector = vectors.get(ByteBuffer.wrap(sha256(text)));
    if (vector == null) {
      throw new IllegalArgumentException(
          "a prompt has no vector in the embeddings file (embed the same data first): "
              + text.substring(0, Math.min(60, text.length())).replace('\n', ' '));
    }
    return vector;
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
