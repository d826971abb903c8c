package dev.spillway.embedding.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.spillway.embedding.model.ModelSpec.PoolingStrategy;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine: one ONNX Runtime session of a BERT-style encoder, created once. Feeds a batch padded
 * to its longest input, under whichever of {@code input_ids}, {@code attention_mask} and {@code
 * token_type_ids} the graph declares, and pools its last hidden state. A session may be run from
 * several threads at once, but the function runs each model's batches on one thread so that the
 * intra-op pool has the cores to itself.
 */
final class OnnxEncoder implements AutoCloseable {

  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Set<String> inputNames;
  private final String outputName;

  OnnxEncoder(OrtEnvironment environment, OrtSession session) throws OrtException {
    this.environment = environment;
    this.session = session;
    this.inputNames = session.getInputNames();
    for (String name : inputNames) {
      if (!name.equals(INPUT_IDS) && !name.equals(ATTENTION_MASK) && !name.equals(TOKEN_TYPE_IDS)) {
        throw new IllegalArgumentException(
            "the ONNX graph has an input '" + name + "' that an encoder does not feed");
      }
    }
    if (!inputNames.contains(INPUT_IDS)) {
      throw new IllegalArgumentException("the ONNX graph has no input_ids input");
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    this.outputName =
        outputs.containsKey("last_hidden_state")
            ? "last_hidden_state"
            : outputs.keySet().iterator().next();
    if (!(outputs.get(outputName).getInfo() instanceof TensorInfo tensor)
        || tensor.getShape().length != 3) {
      throw new IllegalArgumentException(
          "the ONNX graph's output '" + outputName + "' is not a [batch, sequence, hidden] tensor");
    }
  }

  /**
   * Embeds a batch: pads it to its longest input (mask 0, id 0), runs the session, pools each row
   * over its real tokens only, and normalises when asked.
   *
   * @return one vector per input, in the batch's order
   */
  float[][] encode(List<TokenizedText> batch, PoolingStrategy pooling, boolean normalize)
      throws OrtException {
    int rows = batch.size();
    int sequence = 0;
    for (TokenizedText text : batch) {
      sequence = Math.max(sequence, text.length());
    }
    long[] ids = new long[rows * sequence];
    long[] mask = new long[rows * sequence];
    long[] types = new long[rows * sequence];
    for (int r = 0; r < rows; r++) {
      TokenizedText text = batch.get(r);
      System.arraycopy(text.ids(), 0, ids, r * sequence, text.length());
      System.arraycopy(text.attentionMask(), 0, mask, r * sequence, text.length());
      System.arraycopy(text.typeIds(), 0, types, r * sequence, text.length());
    }
    long[] shape = {rows, sequence};
    float[] hidden;
    int dimensions;
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor =
            OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>(4);
      inputs.put(INPUT_IDS, idTensor);
      if (inputNames.contains(ATTENTION_MASK)) {
        inputs.put(ATTENTION_MASK, maskTensor);
      }
      if (inputNames.contains(TOKEN_TYPE_IDS)) {
        inputs.put(TOKEN_TYPE_IDS, typeTensor);
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
        OnnxTensor output = (OnnxTensor) result.get(0);
        long[] outShape = output.getInfo().getShape();
        dimensions = (int) outShape[2];
        FloatBuffer buffer = output.getFloatBuffer();
        hidden = new float[buffer.remaining()];
        buffer.get(hidden);
      }
    }
    float[][] vectors = new float[rows][];
    for (int r = 0; r < rows; r++) {
      float[] vector =
          pooling == PoolingStrategy.CLS
              ? Pooling.first(hidden, r, sequence, dimensions)
              : Pooling.maskedMean(hidden, mask, r, sequence, dimensions);
      vectors[r] = normalize ? Pooling.l2Normalize(vector) : vector;
    }
    return vectors;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
