package dev.spillway.embedding.model;

import java.nio.file.Path;

/**
 * One embedding model of the registry ({@code onnx-models/models.json}): where its files are and
 * how its output becomes a sentence vector.
 *
 * @param id the name clients put in {@code model}
 * @param folder the model's folder (files, checksums, model card)
 * @param onnxFile the ONNX graph, inside {@code folder}
 * @param tokenizerFile the HuggingFace {@code tokenizer.json}, inside {@code folder}
 * @param dimensions the length of the output vector
 * @param maxTokens the longest input the model was trained for, special tokens included; longer
 *     inputs are truncated to it
 * @param pooling how token vectors become one vector
 * @param normalize whether the pooled vector is L2-normalised
 * @param shortenable whether {@code dimensions} may ask for a shorter vector (Matryoshka-trained
 *     models only)
 */
public record ModelSpec(
    String id,
    Path folder,
    String onnxFile,
    String tokenizerFile,
    int dimensions,
    int maxTokens,
    PoolingStrategy pooling,
    boolean normalize,
    boolean shortenable) {

  /** How the token vectors of the last hidden state become one sentence vector. */
  public enum PoolingStrategy {
    /** The mean of the token vectors whose attention mask is 1 (sentence-transformers' default). */
    MEAN,
    /** The first token's vector ({@code [CLS]}). */
    CLS
  }

  public Path onnxPath() {
    return folder.resolve(onnxFile);
  }

  public Path tokenizerPath() {
    return folder.resolve(tokenizerFile);
  }
}
