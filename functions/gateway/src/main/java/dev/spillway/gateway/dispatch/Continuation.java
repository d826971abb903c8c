package dev.spillway.gateway.dispatch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;

/**
 * The request that continues a broken answer on another target: the conversation, the partial
 * assistant answer, and an instruction to go on from exactly where it stopped.
 *
 * <p>A trailing user instruction rather than an assistant "prefill": every OpenAI-compatible server
 * accepts it, while prefill is an Anthropic feature. Stateless.
 */
final class Continuation {

  /** What the next model is told; plain and short, so any model follows it. */
  static final String INSTRUCTION =
      "Your previous answer was cut off mid-way. Continue it from exactly where it stopped:"
          + " do not repeat anything already written, do not add a preamble or comment, and keep"
          + " the same language, format and style.";

  private static final ChatCompletionRequestParser PARSER = new ChatCompletionRequestParser();

  private Continuation() {}

  /** {@code original} followed by the partial answer and the instruction. */
  static ChatCompletionRequest of(ChatCompletionRequest original, String partialAnswer) {
    ObjectNode body = original.raw().deepCopy();
    ArrayNode messages = (ArrayNode) body.get("messages");
    messages.addObject().put("role", "assistant").put("content", partialAnswer);
    messages.addObject().put("role", "user").put("content", INSTRUCTION);
    return PARSER.parse(body);
  }
}
