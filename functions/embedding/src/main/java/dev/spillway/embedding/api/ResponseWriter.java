package dev.spillway.embedding.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.spillway.embedding.serving.EmbeddingService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/**
 * Writes response bodies with a streaming generator: 2,048 vectors of 384 floats would be 786,432
 * tree nodes otherwise. Stateless and thread-safe.
 */
final class ResponseWriter {

  /** The extension field listing the indices of truncated inputs (always present, maybe empty). */
  static final String TRUNCATED_FIELD = "truncated_inputs";

  private static final JsonFactory JSON = new JsonFactory();

  private ResponseWriter() {}

  /** OpenAI's embeddings response, plus {@value #TRUNCATED_FIELD}. */
  static byte[] embeddings(String model, EmbeddingService.Embedded embedded, boolean base64) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(embedded.vectors().length * 4_200 + 256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("object", "list");
      json.writeArrayFieldStart("data");
      float[][] vectors = embedded.vectors();
      for (int i = 0; i < vectors.length; i++) {
        json.writeStartObject();
        json.writeStringField("object", "embedding");
        json.writeNumberField("index", i);
        if (base64) {
          json.writeStringField("embedding", base64(vectors[i]));
        } else {
          json.writeArrayFieldStart("embedding");
          for (float v : vectors[i]) {
            json.writeNumber(v);
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeStringField("model", model);
      usage(json, embedded.promptTokens());
      truncated(json, embedded.truncated());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The classification response: per input, the best label and every label's probability. */
  static byte[] classifications(String model, EmbeddingService.Classified classified) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("object", "list");
      json.writeArrayFieldStart("data");
      double[][] rows = classified.probabilities();
      List<String> labels = classified.labels();
      for (int i = 0; i < rows.length; i++) {
        json.writeStartObject();
        json.writeStringField("object", "classification");
        json.writeNumberField("index", i);
        json.writeStringField("label", labels.get(EmbeddingService.best(rows[i])));
        json.writeObjectFieldStart("probabilities");
        for (int k = 0; k < labels.size(); k++) {
          json.writeNumberField(labels.get(k), rows[i][k]);
        }
        json.writeEndObject();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeStringField("model", model);
      usage(json, classified.promptTokens());
      truncated(json, classified.truncated());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void usage(JsonGenerator json, int promptTokens) throws IOException {
    json.writeObjectFieldStart("usage");
    json.writeNumberField("prompt_tokens", promptTokens);
    json.writeNumberField("total_tokens", promptTokens);
    json.writeEndObject();
  }

  private static void truncated(JsonGenerator json, List<Integer> truncated) throws IOException {
    json.writeArrayFieldStart(TRUNCATED_FIELD);
    for (int index : truncated) {
      json.writeNumber(index);
    }
    json.writeEndArray();
  }

  /** OpenAI's base64 encoding: the float32 values, little-endian, base64 (standard alphabet). */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
