package dev.spillway.embedding.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model's own HuggingFace tokenizer (DJL's binding of the Rust {@code tokenizers} crate), read
 * from its {@code tokenizer.json}. The file's padding section (a fixed 128) and its truncation
 * length are overridden: inputs are never padded here (the batch pads to its longest input), and
 * they are truncated at the model's maximum. Thread-safe: the native tokenizer is immutable.
 */
public final class TextTokenizer implements AutoCloseable {

  static {
    // Everything the tokenizer needs ships in the jar (libtokenizers.so for linux-x86_64); this
    // stops DJL from ever trying to download a native library or a tokenizer from a hub.
    System.setProperty("ai.djl.offline", "true");
  }

  private final HuggingFaceTokenizer tokenizer;
  private final int maxTokens;

  private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
  }

  /**
   * Loads {@code tokenizer.json}.
   *
   * @param maxTokens the longest encoding, special tokens included; longer texts are truncated
   */
  public static TextTokenizer load(Path tokenizerJson, int maxTokens) {
    try {
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(
              tokenizerJson,
              Map.of(
                  "padding", "false",
                  "truncation", "true",
                  "maxLength", Integer.toString(maxTokens),
                  "addSpecialTokens", "true"));
      return new TextTokenizer(tokenizer, maxTokens);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson, e);
    }
  }

  /** Tokenises one text, truncating it to the model's maximum (never an error). */
  public TokenizedText encode(String text) {
    Encoding encoding = tokenizer.encode(text, true, false);
    long[] ids = encoding.getIds();
    boolean truncated = encoding.exceedMaxLength();
    return new TokenizedText(ids, encoding.getTypeIds(), encoding.getAttentionMask(), truncated);
  }

  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
