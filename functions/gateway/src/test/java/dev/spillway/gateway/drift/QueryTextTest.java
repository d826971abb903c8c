package dev.spillway.gateway.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.openai.ChatCompletionRequestParser;
import dev.spillway.openai.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryTextTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Messages as a client sends them, through the gateway's own parser. */
  static List<ChatMessage> messages(String json) {
    try {
      return new ChatCompletionRequestParser()
          .parse(MAPPER.readTree("{\"model\":\"m\",\"messages\":" + json + "}"))
          .messages();
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void takesTheLastUserMessageNotEarlierTurnsOrLaterReplies() {
    List<ChatMessage> messages =
        messages(
            """
            [{"role":"system","content":"You are a search assistant."},
             {"role":"user","content":"first question"},
             {"role":"assistant","content":"first answer"},
             {"role":"user","content":"second question"},
             {"role":"assistant","content":"calling a tool"}]
            """);
    assertEquals("second question", QueryText.lastUserMessage(messages, 100));
  }

  @Test
  void joinsTheTextPartsOfAContentArrayAndSkipsImages() {
    List<ChatMessage> messages =
        messages(
            """
            [{"role":"user","content":[
               {"type":"text","text":"What is in"},
               {"type":"image_url","image_url":{"url":"https://example.com/a.png"}},
               {"type":"text","text":"this picture?"}]}]
            """);
    assertEquals("What is in\nthis picture?", QueryText.lastUserMessage(messages, 100));
  }

  @Test
  void noUserTextMeansNoQuery() {
    assertNull(
        QueryText.lastUserMessage(
            messages("[{\"role\":\"system\",\"content\":\"only a system prompt\"}]"), 100));
    assertNull(
        QueryText.lastUserMessage(messages("[{\"role\":\"user\",\"content\":\"  \\n \"}]"), 100));
    // The last user message holds only an image: the earlier one does not stand in for it.
    assertNull(
        QueryText.lastUserMessage(
            messages(
                """
                [{"role":"user","content":"an earlier question"},
                 {"role":"user","content":[
                   {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]
                """),
            100));
  }

  @Test
  void cutsLongTextAtTheCap() {
    String longText = "x".repeat(50);
    assertEquals(
        "x".repeat(20),
        QueryText.lastUserMessage(
            messages("[{\"role\":\"user\",\"content\":\"" + longText + "\"}]"), 20));
    assertEquals(
        longText,
        QueryText.lastUserMessage(
            messages("[{\"role\":\"user\",\"content\":\"" + longText + "\"}]"), 50));
    // The cap covers the joined parts.
    assertEquals(
        "aaaa\nbbb",
        QueryText.lastUserMessage(
            messages(
                """
                [{"role":"user","content":[
                  {"type":"text","text":"aaaa"},{"type":"text","text":"bbbbbbbb"},
                  {"type":"text","text":"cccc"}]}]
                """),
            8));
  }

  @Test
  void neverSplitsASurrogatePair() {
    // "ab" then U+1F600 (two chars): a cap of 3 would end between its halves.
    String text = "ab\uD83D\uDE00cd";
    assertEquals(
        "ab",
        QueryText.lastUserMessage(
            messages("[{\"role\":\"user\",\"content\":\"" + text + "\"}]"), 3));
    assertEquals(
        "ab\uD83D\uDE00",
        QueryText.lastUserMessage(
            messages("[{\"role\":\"user\",\"content\":\"" + text + "\"}]"), 4));
  }
}
