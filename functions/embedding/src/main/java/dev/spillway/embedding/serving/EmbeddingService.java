package dev.spillway.embedding.serving;

import dev.spillway.embedding.batching.Submission;
import dev.spillway.embedding.classify.LogisticRegression;
import dev.spillway.embedding.error.ApiError;
import dev.spillway.embedding.error.ApiException;
import dev.spillway.embedding.onnx.TokenizedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

/**
 * Embeds and classifies: tokenises on the caller's thread (so tokenisation runs in parallel across
 * requests), queues the inputs on the model's batcher and completes when every vector is back.
 * Plain Java, thread-safe.
 */
public final class EmbeddingService {

  /**
   * Vectors for a request's inputs.
   *
   * @param promptTokens tokens the model read, special tokens included, after truncation
   * @param truncated indices of the inputs cut to the model's maximum
   */
  public record Embedded(float[][] vectors, int promptTokens, List<Integer> truncated) {}

  /**
   * Label probabilities for a request's inputs.
   *
   * @param probabilities one row per input, in {@code labels}' order
   */
  public record Classified(
      List<String> labels, double[][] probabilities, int promptTokens, List<Integer> truncated) {}

  private final Map<String, ServedModel> models;
  private final Map<String, ServedHead> heads;
  private final IntConsumer truncatedCounter;

  /**
   * @param truncatedCounter told how many inputs of each request were truncated (metrics)
   */
  public EmbeddingService(
      Map<String, ServedModel> models,
      Map<String, ServedHead> heads,
      IntConsumer truncatedCounter) {
    this.models = Map.copyOf(models);
    this.heads = Map.copyOf(heads);
    this.truncatedCounter = truncatedCounter;
  }

  public Map<String, ServedModel> models() {
    return models;
  }

  public Map<String, ServedHead> heads() {
    return heads;
  }

  /** The served model of that name, or a 404 naming {@code model}. */
  public ServedModel model(String id) {
    ServedModel model = models.get(id);
    if (model == null) {
      throw new ApiException(
          ApiError.MODEL_NOT_FOUND,
          "model",
          "The model '"
              + abbreviate(id)
              + "' does not exist; GET /v1/models lists the served ones.");
    }
    return model;
  }

  /**
   * Embeds every input with a served model.
   *
   * @throws ApiException 404 for an unknown model, 503 with Retry-After when its queue is full
   */
  public CompletionStage<Embedded> embed(String modelId, List<String> inputs) {
    return embed(model(modelId), inputs);
  }

  private CompletionStage<Embedded> embed(ServedModel served, List<String> inputs) {
    List<TokenizedText> tokens = new ArrayList<>(inputs.size());
    List<Integer> truncated = new ArrayList<>();
    int promptTokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      TokenizedText text = served.model().tokenize(inputs.get(i));
      tokens.add(text);
      promptTokens += text.length();
      if (text.truncated()) {
        truncated.add(i);
      }
    }
    if (!truncated.isEmpty()) {
      truncatedCounter.accept(truncated.size());
    }
    Submission submission = served.batcher().submit(tokens);
    if (submission instanceof Submission.Rejected rejected) {
      throw new ApiException(
          ApiError.OVERLOADED,
          null,
          "The model '"
              + served.model().spec().id()
              + "' has a full queue; retry after the Retry-After interval.",
          rejected.retryAfter().toSeconds());
    }
    int total = promptTokens;
    List<Integer> cut = List.copyOf(truncated);
    return ((Submission.Accepted) submission)
        .vectors()
        .thenApply(vectors -> new Embedded(vectors, total, cut));
  }

  /**
   * Classifies every input with a head.
   *
   * @throws ApiException 404 for an unknown head, 503 with Retry-After when the model's queue is
   *     full
   */
  public CompletionStage<Classified> classify(String headId, List<String> inputs) {
    ServedHead head = heads.get(headId);
    if (head == null) {
      throw new ApiException(
          ApiError.MODEL_NOT_FOUND,
          "model",
          "The classifier '"
              + abbreviate(headId)
              + "' does not exist; GET /v1/models lists the served ones.");
    }
    return embed(head.model(), inputs)
        .thenApply(
            embedded -> {
              double[][] probabilities = new double[embedded.vectors().length][];
              for (int i = 0; i < probabilities.length; i++) {
                probabilities[i] = head.head().probabilities(embedded.vectors()[i]);
              }
              return new Classified(
                  head.head().labels(),
                  probabilities,
                  embedded.promptTokens(),
                  embedded.truncated());
            });
  }

  /** The most probable label's index. */
  public static int best(double[] probabilities) {
    return LogisticRegression.argmax(probabilities);
  }

  private static String abbreviate(String id) {
    return id.length() <= 64 ? id : id.substring(0, 64) + "…";
  }
}
