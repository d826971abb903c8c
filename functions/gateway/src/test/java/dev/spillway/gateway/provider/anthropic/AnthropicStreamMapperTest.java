package dev.spillway.gateway.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnthropicStreamMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] events(String... lines) {
    return (String.join("\n", lines) + "\n\n").replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void translatesTextToolUseStopReasonAndUsage() {
    AnthropicStreamMapper mapper = new AnthropicStreamMapper(JSON, "anthropic", 1700000000);
    List<ChatChunk> chunks =
        mapper.feed(
            events(
                "event: message_start",
                "data: {'type':'message_start','message':{'id':'msg_1','model':'claude','usage':{'input_tokens':12,'output_tokens':1}}}",
                "",
                "event: content_block_start",
                "data: {'type':'content_block_start','index':0,'content_block':{'type':'text','text':''}}",
                "",
                "event: content_block_delta",
                "data: {'type':'content_block_delta','index':0,'delta':{'type':'text_delta','text':'Hi'}}",
                "",
                "event: content_block_start",
                "data: {'type':'content_block_start','index':1,'content_block':{'type':'tool_use','id':'tu_1','name':'weather','input':{}}}",
                "",
                "event: content_block_delta",
                "data: {'type':'content_block_delta','index':1,'delta':{'type':'input_json_delta','partial_json':'{\\'city\\''}}",
                "",
                "event: message_delta",
                "data: {'type':'message_delta','delta':{'stop_reason':'tool_use'},'usage':{'output_tokens':9}}",
                "",
                "event: message_stop",
                "data: {'type':'message_stop'}"));

    assertEquals(6, chunks.size());
    assertEquals(
        "assistant",
        chunks.get(0).json().path("choices").get(0).path("delta").path("role").asText());
    assertEquals("chatcmpl-msg_1", chunks.get(0).json().path("id").asText());
    assertEquals("Hi", chunks.get(1).text());
    var toolStart =
        chunks.get(2).json().path("choices").get(0).path("delta").path("tool_calls").get(0);
    assertEquals(0, toolStart.path("index").asInt(), "Anthropic block 1 is OpenAI tool call 0");
    assertEquals("tu_1", toolStart.path("id").asText());
    assertEquals("weather", toolStart.path("function").path("name").asText());
    assertEquals("{\"city\"", toolArguments(chunks.get(3)));
    assertEquals("tool_calls", chunks.get(4).finishReason());
    assertTrue(chunks.get(5).isUsageOnly());
    assertEquals(12, chunks.get(5).usage().promptTokens());
    assertEquals(9, chunks.get(5).usage().completionTokens());
    mapper.requireEnd().await().indefinitely();
  }

  @Test
  void aToolWithoutInputStreamsEmptyObjectArguments() {
    AnthropicStreamMapper mapper = new AnthropicStreamMapper(JSON, "anthropic", 0);
    List<ChatChunk> chunks =
        mapper.feed(
            events(
                "event: content_block_start",
                "data: {'type':'content_block_start','index':0,'content_block':{'type':'tool_use','id':'t','name':'now','input':{}}}",
                "",
                "event: content_block_delta",
                "data: {'type':'content_block_delta','index':0,'delta':{'type':'input_json_delta','partial_json':''}}",
                "",
                "event: content_block_stop",
                "data: {'type':'content_block_stop','index':0}"));
    assertEquals(2, chunks.size(), "tool start, then the {} arguments");
    assertEquals("{}", toolArguments(chunks.get(1)));
  }

  @Test
  void aStreamWithoutMessageStopOrWithAnErrorEventIsBroken() {
    AnthropicStreamMapper cut = new AnthropicStreamMapper(JSON, "anthropic", 0);
    cut.feed(events("event: message_start", "data: {'type':'message_start','message':{'id':'m'}}"));
    assertThrows(ProviderException.class, () -> cut.requireEnd().await().indefinitely());

    AnthropicStreamMapper failed = new AnthropicStreamMapper(JSON, "anthropic", 0);
    ProviderException error =
        assertThrows(
            ProviderException.class,
            () ->
                failed.feed(
                    events(
                        "event: error",
                        "data: {'type':'error','error':{'type':'overloaded_error','message':'x'}}")));
    assertEquals(ProviderException.Kind.STREAM_BROKEN, error.kind());
  }

  /** The arguments fragment of the first tool-call delta in a chunk. */
  private static String toolArguments(ChatChunk chunk) {
    return chunk
        .json()
        .path("choices")
        .get(0)
        .path("delta")
        .path("tool_calls")
        .get(0)
        .path("function")
        .path("arguments")
        .asText();
  }
}
