package dev.spillway.embedding.onnx;

/**
 * One input after tokenisation, unpadded: ids, token types and the attention mask all have {@link
 * #length()} entries, special tokens included.
 *
 * @param truncated whether the text was longer than the model's maximum and was cut to it
 */
public record TokenizedText(long[] ids, long[] typeIds, long[] attentionMask, boolean truncated) {

  public int length() {
    return ids.length;
  }
}
