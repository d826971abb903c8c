package dev.spillway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.openai.ChatMessage;
import dev.spillway.openai.ContentPart;
import dev.spillway.openai.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCounterTest {

  private final TokenCounter counter = new TokenCounter();

  @Test
  void countsWithTheRealEncoding() {
    // "hello world" is two tokens in both cl100k_base and o200k_base.
    assertEquals(2, counter.countText("gpt-4o-mini", "hello world"));
    assertEquals(2, counter.countText("gpt-3.5-turbo", "hello world"));
    assertEquals(2, counter.countText("claude-3-5-haiku", "hello world"));
    assertEquals(0, counter.countText("gpt-4o", ""));
  }

  @Test
  void promptCountAddsOpenAisMessageFraming() {
    var messages =
        List.of(
            new ChatMessage(
                Role.SYSTEM, List.of(new ContentPart.Text("hello world")), List.of(), null, null),
            new ChatMessage(
                Role.USER, List.of(new ContentPart.Text("hello world")), List.of(), null, null));
    int framing = 3 + 2 * 3;
    int roles = counter.countText("gpt-4o", "system") + counter.countText("gpt-4o", "user");
    assertEquals(framing + roles + 4, counter.countPrompt("gpt-4o", messages));
  }

  @Test
  void specialTokensInTextAreCountedAsText() {
    assertTrue(counter.countText("gpt-4o", "say <|endoftext|> please") > 3);
    var message =
        new ChatMessage(
            Role.USER, List.of(new ContentPart.Text("<|endoftext|>")), List.of(), null, null);
    assertTrue(counter.countPrompt("gpt-4o", List.of(message)) > 3);
  }

  @Test
  void warmUpLoadsTheEncodingsOnce() {
    TokenCounter fresh = new TokenCounter();
    assertEquals(false, fresh.isWarm());
    fresh.warmUp();
    assertTrue(fresh.isWarm());
    assertEquals(2, fresh.countText("gpt-4o", "hello world"));
  }

  @Test
  void longerTextCostsMoreTokens() {
    assertTrue(
        counter.countText("gpt-4o", "the quick brown fox jumps over the lazy dog".repeat(10))
            > counter.countText("gpt-4o", "the quick brown fox"));
  }

  @Test
  void theByteBoundIsNeverBelowTheRealCountAndIsExactForUtf8Lengths() {
    List<String> texts =
        List.of(
            "hello world",
            "Résumé naïve café — ünïcödé",
            "日本語のテキストをトークンに分割します",
            "emoji 🚀🔥 and flags 🇫🇷🇩🇪 in a row",
            "def f(x):\n    return {k: v for k, v in x.items() if v}\n",
            " ".repeat(500),
            "a".repeat(3000));
    for (String text : texts) {
      var messages =
          List.of(
              new ChatMessage(
                  Role.USER, List.of(new ContentPart.Text(text)), List.of(), null, "bob"));
      for (String model : List.of("gpt-4o", "gpt-3.5-turbo", "claude-sonnet")) {
        assertTrue(
            counter.upperBoundPrompt(messages) >= counter.countPrompt(model, messages),
            () -> "bound below the count for " + model + ": " + text);
      }
      assertEquals(
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
          TokenCounter.utf8Length(text));
    }
  }
}
