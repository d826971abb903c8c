package dev.spillway.embedding.classify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A classification head: multinomial logistic regression over a model's (normalised) sentence
 * embedding. The head format is this record as JSON: {@code p = softmax(W·x + b)} with one row of
 * {@code weights} and one {@code bias} per label. Immutable and thread-safe.
 *
 * @param format always {@value #FORMAT}
 * @param embeddingModel the registry model whose vectors the head reads
 * @param labels the classes, in the order of {@code weights}' rows
 * @param weights {@code [labels][dimensions]}
 * @param bias {@code [labels]}
 * @param about how the head was made (data, split, accuracy), for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassifierHead(
    String format,
    @JsonProperty("embedding_model") String embeddingModel,
    List<String> labels,
    float[][] weights,
    float[] bias,
    Map<String, Object> about) {

  public static final String FORMAT = "spillway.logistic-head.v1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Checks the shapes.
   *
   * @throws IllegalArgumentException when the format, labels or shapes disagree
   */
  public ClassifierHead {
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException("not a " + FORMAT + " head: format=" + format);
    }
    if (labels == null || labels.size() < 2) {
      throw new IllegalArgumentException("a head needs at least two labels");
    }
    if (weights == null || weights.length != labels.size() || bias.length != labels.size()) {
      throw new IllegalArgumentException("a head needs one weight row and one bias per label");
    }
    for (float[] row : weights) {
      if (row.length != weights[0].length) {
        throw new IllegalArgumentException("every weight row must have the same length");
      }
    }
  }

  public int dimensions() {
    return weights[0].length;
  }

  /** The probability of each label for one embedding, in {@link #labels()}' order. */
  public double[] probabilities(float[] embedding) {
    if (embedding.length != dimensions()) {
      throw new IllegalArgumentException(
          "the head reads " + dimensions() + " dimensions, got " + embedding.length);
    }
    double[] logits = new double[labels.size()];
    for (int k = 0; k < logits.length; k++) {
      double z = bias[k];
      float[] row = weights[k];
      for (int d = 0; d < row.length; d++) {
        z += (double) row[d] * embedding[d];
      }
      logits[k] = z;
    }
    return LogisticRegression.softmax(logits);
  }

  public static ClassifierHead read(Path file) {
    try {
      return JSON.readValue(file.toFile(), ClassifierHead.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classifier head " + file, e);
    }
  }

  public void write(Path file) {
    try {
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write classifier head " + file, e);
    }
  }
}
