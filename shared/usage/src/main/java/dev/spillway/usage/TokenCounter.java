package dev.spillway.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.ModelType;
import dev.spillway.openai.ChatMessage;
import dev.spillway.openai.ToolCall;
import java.util.List;
import java.util.Optional;

/**
 * Counts tokens with OpenAI's real BPE encodings (JTokkit), for prompts before a request is sent
 * and for answers whose upstream reported no usage.
 *
 * <p>Models JTokkit knows get their own encoding; every other model (Claude, Llama, …) is counted
 * with {@code o200k_base}: not its own tokenizer, but within a few percent for English text, which
 * is what budgets need. Message framing follows OpenAI's published accounting: 3 tokens per
 * message, 1 more for a name, 3 to prime the reply. Thread-safe; build one and share it, since
 * loading the encodings takes tens of milliseconds.
 */
public final class TokenCounter {

  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_NAME = 1;
  private static final int REPLY_PRIMING_TOKENS = 3;

  private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
  private volatile boolean warm;

  /**
   * Loads the encodings now (blocking, about half a second on a cold JVM); later calls return at
   * once. Until it has finished, callers on an event loop use {@link #upperBoundPrompt} or count on
   * a worker, so that no request waits for the loading on the event loop.
   */
  public void warmUp() {
    registry.getEncoding(EncodingType.O200K_BASE).countTokens("warm");
    registry.getEncoding(EncodingType.CL100K_BASE).countTokens("warm");
    warm = true;
  }

  /** True once {@link #warmUp()} has finished: counting will not load anything. */
  public boolean isWarm() {
    return warm;
  }

  /** The encoding used for an upstream model name. */
  public Encoding encodingFor(String model) {
    Encoding fallback = registry.getEncoding(EncodingType.O200K_BASE);
    if (model == null) {
      return fallback;
    }
    Optional<ModelType> known = ModelType.fromName(model);
    if (known.isPresent()) {
      return registry.getEncodingForModel(known.get());
    }
    return model.startsWith("gpt-3.5") || model.startsWith("gpt-4-")
        ? registry.getEncoding(EncodingType.CL100K_BASE)
        : fallback;
  }

  /**
   * An upper bound of {@link #countPrompt}, computed without the encodings: every token of these
   * byte-level BPE encodings stands for at least one UTF-8 byte of ordinary text, so the byte count
   * bounds the token count. For admission before {@link #warmUp()} has finished: a reservation may
   * be larger than needed for the first second after start, never smaller, and is reconciled with
   * the real usage afterwards.
   */
  public int upperBoundPrompt(List<ChatMessage> messages) {
    long bytes = REPLY_PRIMING_TOKENS;
    for (ChatMessage message : messages) {
      bytes +=
          TOKENS_PER_MESSAGE + utf8Length(message.role().wireName()) + utf8Length(message.text());
      if (message.name() != null) {
        bytes += TOKENS_PER_NAME + utf8Length(message.name());
      }
      for (ToolCall call : message.toolCalls()) {
        bytes += utf8Length(call.name()) + utf8Length(call.arguments());
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }

  /** UTF-8 length without encoding the string. */
  static long utf8Length(String text) {
    if (text == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Tokens of a plain text. */
  public int countText(String model, String text) {
    return text == null || text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
  }

  /** Prompt tokens of a conversation, including OpenAI's per-message framing. */
  public int countPrompt(String model, List<ChatMessage> messages) {
    Encoding encoding = encodingFor(model);
    int tokens = REPLY_PRIMING_TOKENS;
    for (ChatMessage message : messages) {
      tokens += TOKENS_PER_MESSAGE;
      tokens += encoding.countTokensOrdinary(message.role().wireName());
      tokens += encoding.countTokensOrdinary(message.text());
      if (message.name() != null) {
        tokens += TOKENS_PER_NAME + encoding.countTokensOrdinary(message.name());
      }
      for (ToolCall call : message.toolCalls()) {
        tokens +=
            encoding.countTokensOrdinary(call.name())
                + encoding.countTokensOrdinary(call.arguments());
      }
    }
    return tokens;
  }
}
