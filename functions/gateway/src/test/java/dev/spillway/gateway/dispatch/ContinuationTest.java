package dev.spillway.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.openai.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContinuationTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void appendsThePartialAnswerAndTheInstructionAndKeepsEverythingElse() throws Exception {
    ChatCompletionRequest original =
        new ChatCompletionRequestParser()
            .parse(
                mapper.readTree(
                    """
                    {"model":"m","stream":true,"temperature":0.3,"seed":7,
                     "messages":[{"role":"system","content":"Be brief."},
                                 {"role":"user","content":"Tell me about rivers."}]}
                    """));
    ChatCompletionRequest continuation = Continuation.of(original, "Rivers flow from");

    List<ChatMessage> messages = continuation.messages();
    assertEquals(4, messages.size());
    assertEquals("assistant", messages.get(2).role().wireName());
    assertEquals("Rivers flow from", messages.get(2).text());
    assertEquals("user", messages.get(3).role().wireName());
    assertEquals(Continuation.INSTRUCTION, messages.get(3).text());
    assertEquals(0.3, continuation.temperature());
    assertEquals(7, continuation.raw().get("seed").asInt());
    assertEquals(true, continuation.stream());
    // The client's request is left as it was: the continuation is a copy.
    assertEquals(2, original.raw().get("messages").size());
    assertFalse(original.raw().toString().contains("Rivers flow from"));
  }
}
