package dev.spillway.gateway.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming read of a chunk's text finds exactly the facts the tree walk finds, and keeps the
 * text for relaying as it came.
 */
class ChatChunkTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hé ✓ \\\"q\\\"\"},"
            + "\"logprobs\":{\"content\":[{\"token\":\"x\",\"bytes\":[1,2]}]},\"finish_reason\":null}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\","
            + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"no\"}}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
            + "\"usage\":null}",
        "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,"
            + "\"total_tokens\":19,\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},"
            + "{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}",
      })
  void theStreamingReadAgreesWithTheTreeWalk(String text) throws Exception {
    ChatChunk read = ChatChunk.read(text, true);
    ChatChunk walked = ChatChunk.of((ObjectNode) JSON.readTree(text), text);
    assertEquals(walked.text(), read.text());
    assertEquals(walked.content(), read.content());
    assertEquals(walked.usage(), read.usage());
    assertEquals(walked.finishReason(), read.finishReason());
    assertEquals(walked.output(), read.output());
    assertEquals(walked.toolCalls(), read.toolCalls());
    assertEquals(walked.refusal(), read.refusal());
    assertEquals(walked.isUsageOnly(), read.isUsageOnly());
    assertSame(text, read.encoded(), "relayed as it came");
    assertEquals(JSON.readTree(text), read.json(), "the tree, built when asked for");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[1,2]", "\"text\"", "{\"a\":", "{\"a\":1} trailing", "not json"})
  void anythingButOneJsonObjectIsUnreadable(String text) {
    assertThrows(ChatChunk.Unreadable.class, () -> ChatChunk.read(text, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"error\":{\"message\":\"overloaded\"}}"})
  void anErrorEventIsUnreadableAndSaysSo(String text) {
    ChatChunk.Unreadable failure =
        assertThrows(ChatChunk.Unreadable.class, () -> ChatChunk.read(text, true));
    assertTrue(failure.getMessage().contains("error event"), failure.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}"})
  void aChunkThatCannotBeRelayedAsItCameKeepsItsTreeOnly(String text) throws Exception {
    ChatChunk chunk = ChatChunk.read(text, false);
    assertNull(chunk.encoded());
    assertEquals("x", chunk.json().path("choices").get(0).path("delta").path("content").asText());
  }
}
