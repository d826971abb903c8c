package dev.spillway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatCompletionRequestParserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ChatCompletionRequestParser parser = new ChatCompletionRequestParser();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void parsesAFullRequestAndKeepsUnknownFields() throws Exception {
    ChatCompletionRequest request =
        parser.parse(
            json(
                """
                {'model':'gpt-4o-mini','stream':true,'stream_options':{'include_usage':true},
                 'max_completion_tokens':64,'max_tokens':10,'temperature':0.5,'top_p':1,
                 'stop':['END'],'seed':7,'user':'u1','metadata':{'k':'v'},'logit_bias':{'1':2},
                 'response_format':{'type':'json_schema','json_schema':{'name':'a','schema':{'type':'object'}}},
                 'tools':[{'type':'function','function':{'name':'get_weather','parameters':{'type':'object'}}}],
                 'tool_choice':{'type':'function','function':{'name':'get_weather'}},
                 'messages':[
                   {'role':'system','content':'be brief'},
                   {'role':'developer','content':'really'},
                   {'role':'user','content':[{'type':'text','text':'hi '},
                                             {'type':'image_url','image_url':{'url':'data:image/png;base64,AA'}},
                                             {'type':'input_audio','input_audio':{'data':'x'}}]},
                   {'role':'assistant','content':null,'tool_calls':[{'id':'c1','type':'function','function':{'name':'get_weather','arguments':'{}'}}]},
                   {'role':'tool','tool_call_id':'c1','content':'sunny'}]}
                """));

    assertEquals("gpt-4o-mini", request.model());
    assertTrue(request.stream());
    assertTrue(request.includeUsage());
    assertEquals(64, request.maxTokens(), "max_completion_tokens wins over max_tokens");
    assertEquals(0.5, request.temperature());
    assertEquals(java.util.List.of("END"), request.stop());
    assertEquals(ResponseFormat.Type.JSON_SCHEMA, request.responseFormat().type());
    assertEquals("get_weather", request.tools().get(0).name());
    assertEquals(5, request.messages().size());
    ChatMessage user = request.messages().get(2);
    assertEquals("hi ", user.text());
    assertInstanceOf(ContentPart.Image.class, user.content().get(1));
    assertInstanceOf(ContentPart.Other.class, user.content().get(2));
    assertEquals("c1", request.messages().get(3).toolCalls().get(0).id());
    assertEquals("c1", request.messages().get(4).toolCallId());
    assertTrue(request.raw().has("logit_bias"), "unknown fields stay in the raw body");
  }

  @Test
  void defaultsWhenOptionalFieldsAreAbsentOrNull() throws Exception {
    ChatCompletionRequest request =
        parser.parse(json("{'model':'m','messages':[{'role':'user','content':'x'}],'stop':null}"));
    assertFalse(request.stream());
    assertFalse(request.includeUsage());
    assertNull(request.maxTokens());
    assertTrue(request.stop().isEmpty());
    assertEquals(ResponseFormat.TEXT, request.responseFormat());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not an object|['x']|",
        "missing model|{'messages':[{'role':'user','content':'x'}]}|model",
        "model not a string|{'model':3,'messages':[{'role':'user','content':'x'}]}|model",
        "missing messages|{'model':'m'}|messages",
        "empty messages|{'model':'m','messages':[]}|messages",
        "messages not array|{'model':'m','messages':'hi'}|messages",
        "bad role|{'model':'m','messages':[{'role':'robot','content':'x'}]}|messages[0].role",
        "missing content|{'model':'m','messages':[{'role':'user'}]}|messages[0].content",
        "content wrong type|{'model':'m','messages':[{'role':'user','content':5}]}|messages[0].content",
        "part without type|{'model':'m','messages':[{'role':'user','content':[{'text':'x'}]}]}|messages[0].content[0].type",
        "tool without call id|{'model':'m','messages':[{'role':'tool','content':'x'}]}|messages[0].tool_call_id",
        "stream not boolean|{'model':'m','stream':'yes','messages':[{'role':'user','content':'x'}]}|stream",
        "stream_options without stream|{'model':'m','stream_options':{'include_usage':true},'messages':[{'role':'user','content':'x'}]}|stream_options",
        "n above one|{'model':'m','n':2,'messages':[{'role':'user','content':'x'}]}|n",
        "negative max_tokens|{'model':'m','max_tokens':-1,'messages':[{'role':'user','content':'x'}]}|max_tokens",
        "fractional max_tokens|{'model':'m','max_tokens':1.5,'messages':[{'role':'user','content':'x'}]}|max_tokens",
        "temperature too high|{'model':'m','temperature':3,'messages':[{'role':'user','content':'x'}]}|temperature",
        "top_p not number|{'model':'m','top_p':'1','messages':[{'role':'user','content':'x'}]}|top_p",
        "too many stops|{'model':'m','stop':['a','b','c','d','e'],'messages':[{'role':'user','content':'x'}]}|stop",
        "tool type|{'model':'m','tools':[{'type':'web'}],'messages':[{'role':'user','content':'x'}]}|tools[0].type",
        "tool choice unknown fn|{'model':'m','tools':[{'type':'function','function':{'name':'a'}}],'tool_choice':{'type':'function','function':{'name':'b'}},'messages':[{'role':'user','content':'x'}]}|tool_choice.function.name",
        "required without tools|{'model':'m','tool_choice':'required','messages':[{'role':'user','content':'x'}]}|tool_choice",
        "bad response format|{'model':'m','response_format':{'type':'yaml'},'messages':[{'role':'user','content':'x'}]}|response_format.type",
        "schema without name|{'model':'m','response_format':{'type':'json_schema','json_schema':{}},'messages':[{'role':'user','content':'x'}]}|response_format.json_schema.name",
        "metadata value|{'model':'m','metadata':{'a':1},'messages':[{'role':'user','content':'x'}]}|metadata.a",
        "seed not integer|{'model':'m','seed':'s','messages':[{'role':'user','content':'x'}]}|seed",
      })
  void rejectsBadRequestsNamingTheField(String name, String body, String param) throws Exception {
    InvalidRequestException error =
        assertThrows(InvalidRequestException.class, () -> parser.parse(json(body)));
    assertEquals(param, error.param());
    if (param != null) {
      assertTrue(error.getMessage().contains(param), error.getMessage());
    }
  }
}
