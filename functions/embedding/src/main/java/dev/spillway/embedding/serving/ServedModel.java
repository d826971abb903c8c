package dev.spillway.embedding.serving;

import dev.spillway.embedding.batching.DynamicBatcher;
import dev.spillway.embedding.onnx.EmbeddingModel;

/** A loaded model with its batcher: what a request for that model goes through. */
public record ServedModel(EmbeddingModel model, DynamicBatcher batcher) implements AutoCloseable {

  @Override
  public void close() {
    batcher.close();
    model.close();
  }
}
