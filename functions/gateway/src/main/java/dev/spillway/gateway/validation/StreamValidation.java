package dev.spillway.gateway.validation;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.usage.TokenUsage;
import java.util.Optional;

/**
 * Judges one streamed answer as its chunks pass, for {@link ResponseValidator}.
 *
 * <p>Repetition is checked on every chunk, at a cost that does not grow with the text already seen,
 * so a looping stream can be cut and failed over early. The other rules need the whole answer and
 * run in {@link #onEnd()}. Once a chunk has revealed a loop, every later call reports the same
 * violation: the stream is broken whatever follows.
 *
 * <p>Not thread-safe: feed it one stream's chunks in order, from one thread at a time.
 */
public final class StreamValidation {

  private final ResponseValidator validator;
  private final ChatCompletionRequest request;
  private final RepetitionDetector repetition;
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder content = new StringBuilder();
  private boolean toolCalls;
  private boolean refusal;
  private String finishReason;
  private TokenUsage usage;
  private Violation loop;

  StreamValidation(
      ResponseValidator validator, ChatCompletionRequest request, boolean checkRepetition) {
    this.validator = validator;
    this.request = request;
    this.repetition = checkRepetition ? new RepetitionDetector() : null;
  }

  /**
   * Takes the next chunk.
   *
   * @return a repetition violation once the output has fallen into a loop, else empty
   */
  public Optional<Violation> onChunk(ChatChunk chunk) {
    if (chunk.usage() != null) {
      usage = chunk.usage();
    }
    if (chunk.finishReason() != null) {
      finishReason = chunk.finishReason();
    }
    content.append(chunk.content());
    toolCalls |= chunk.toolCalls();
    refusal |= chunk.refusal();
    text.append(chunk.text());
    if (loop == null && repetition != null && repetition.append(chunk.text())) {
      loop = ResponseValidator.repetition(repetition.loop().orElseThrow());
    }
    return Optional.ofNullable(loop);
  }

  /**
   * Judges the stream once the upstream has ended it normally.
   *
   * @return the first rule the whole answer breaks, or empty when it is usable
   */
  public Optional<Violation> onEnd() {
    if (loop != null) {
      return Optional.of(loop);
    }
    return validator.atEnd(
        request,
        new ResponseValidator.Answer(
            finishReason, content.toString(), toolCalls, refusal, text.length(), usage));
  }

  /** The output so far: content, tool-call names and arguments, refusals, as the chunks had it. */
  public String text() {
    return text.toString();
  }
}
