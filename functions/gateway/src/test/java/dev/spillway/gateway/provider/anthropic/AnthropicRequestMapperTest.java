package dev.spillway.gateway.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.openai.InvalidRequestException;
import org.junit.jupiter.api.Test;

class AnthropicRequestMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final AnthropicRequestMapper mapper = new AnthropicRequestMapper(JSON, 4096);

  private static ChatCompletionRequest request(String json) throws Exception {
    return new ChatCompletionRequestParser().parse(JSON.readTree(json.replace('\'', '"')));
  }

  @Test
  void systemMessagesToolsAndAlternationAreTranslated() throws Exception {
    JsonNode body =
        mapper.map(
            request(
                """
                {'model':'x','temperature':1.6,'stop':'END','user':'u7',
                 'tools':[{'type':'function','function':{'name':'weather','description':'d','parameters':{'type':'object','properties':{'city':{'type':'string'}}}}}],
                 'tool_choice':'required',
                 'messages':[
                   {'role':'system','content':'be brief'},
                   {'role':'developer','content':'no jokes'},
                   {'role':'user','content':'weather?'},
                   {'role':'assistant','content':null,'tool_calls':[{'id':'t1','type':'function','function':{'name':'weather','arguments':'{\\"city\\":\\"Oslo\\"}'}}]},
                   {'role':'tool','tool_call_id':'t1','content':'rain'},
                   {'role':'user','content':[{'type':'text','text':'and '},{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBO'}}]}]}
                """),
            "claude-haiku",
            true);

    assertEquals("claude-haiku", body.path("model").asText());
    assertEquals(4096, body.path("max_tokens").asInt(), "default when the client sets none");
    assertTrue(body.path("stream").asBoolean());
    assertEquals("be brief\n\nno jokes", body.path("system").asText());
    assertEquals(1.0, body.path("temperature").asDouble(), "clamped to Anthropic's range");
    assertEquals("END", body.path("stop_sequences").get(0).asText());
    assertEquals("u7", body.path("metadata").path("user_id").asText());
    assertEquals("any", body.path("tool_choice").path("type").asText());
    assertEquals("weather", body.path("tools").get(0).path("name").asText());
    assertEquals("object", body.path("tools").get(0).path("input_schema").path("type").asText());

    JsonNode messages = body.path("messages");
    assertEquals(3, messages.size(), "user / assistant / user(tool result + next user turn)");
    assertEquals("assistant", messages.get(1).path("role").asText());
    JsonNode toolUse = messages.get(1).path("content").get(0);
    assertEquals("tool_use", toolUse.path("type").asText());
    assertEquals("Oslo", toolUse.path("input").path("city").asText());
    JsonNode lastTurn = messages.get(2).path("content");
    assertEquals("tool_result", lastTurn.get(0).path("type").asText());
    assertEquals("t1", lastTurn.get(0).path("tool_use_id").asText());
    assertEquals("text", lastTurn.get(1).path("type").asText());
    assertEquals("base64", lastTurn.get(2).path("source").path("type").asText());
    assertEquals("image/png", lastTurn.get(2).path("source").path("media_type").asText());
  }

  @Test
  void toolHistoryWithoutToolsBecomesTextAndEmptyTurnsAreDropped() throws Exception {
    JsonNode body =
        mapper.map(
            request(
                """
                {'model':'x','temperature':0.3,'top_p':0.9,'messages':[
                   {'role':'user','content':'weather?'},
                   {'role':'assistant','content':null,'tool_calls':[{'id':'t1','type':'function','function':{'name':'weather','arguments':'{}'}}]},
                   {'role':'tool','tool_call_id':'t1','content':'rain'},
                   {'role':'user','content':''},
                   {'role':'assistant','content':''}]}
                """),
            "m",
            false);
    assertFalse(body.has("tools"));
    assertFalse(body.has("top_p"), "Claude refuses temperature and top_p together");
    JsonNode messages = body.path("messages");
    assertEquals(3, messages.size(), "the two empty turns are gone");
    assertEquals("text", messages.get(1).path("content").get(0).path("type").asText());
    assertTrue(messages.get(1).path("content").get(0).path("text").asText().contains("weather"));
    assertTrue(messages.get(2).path("content").get(0).path("text").asText().contains("rain"));
  }

  @Test
  void aConversationWithNothingToSendIsTheClientsToFix() {
    InvalidRequestException error =
        assertThrows(
            InvalidRequestException.class,
            () ->
                mapper.map(
                    request("{'model':'x','messages':[{'role':'system','content':'hi'}]}"),
                    "m",
                    false));
    assertEquals("messages", error.param());
  }

  @Test
  void jsonModeBecomesAnInstructionAndToolChoiceNoneIsKept() throws Exception {
    JsonNode body =
        mapper.map(
            request(
                """
                {'model':'x','max_tokens':50,'response_format':{'type':'json_object'},'tool_choice':'none','parallel_tool_calls':false,
                 'tools':[{'type':'function','function':{'name':'f'}}],
                 'messages':[{'role':'user','content':'hi'}]}
                """),
            "m",
            false);
    assertEquals(50, body.path("max_tokens").asInt());
    assertFalse(body.has("stream"));
    assertTrue(body.path("system").asText().contains(AnthropicRequestMapper.JSON_INSTRUCTION));
    assertEquals("f", body.path("tools").get(0).path("name").asText());
    assertEquals("none", body.path("tool_choice").path("type").asText());
    assertTrue(body.path("tool_choice").path("disable_parallel_tool_use").asBoolean());
  }
}
