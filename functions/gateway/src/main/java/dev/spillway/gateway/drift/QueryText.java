package dev.spillway.gateway.drift;

import dev.spillway.openai.ChatMessage;
import dev.spillway.openai.ContentPart;
import dev.spillway.openai.Role;
import java.util.List;

/**
 * What counts as a request's query for drift scoring: the text of its last user message. Earlier
 * turns are context the drift function has already seen (or a template's boilerplate); the last
 * user message is what the user is asking now.
 */
public final class QueryText {

  private QueryText() {}

  /**
   * The text of the last {@code user} message: its string content, or its text parts joined by
   * newlines (images and other parts are left out), cut to at most {@code maxChars} characters
   * without splitting a surrogate pair.
   *
   * @return the text, or null when there is no user message or the last one has no text (blank text
   *     included); an earlier user message never stands in for it
   */
  public static String lastUserMessage(List<ChatMessage> messages, int maxChars) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      ChatMessage message = messages.get(i);
      if (message.role() == Role.USER) {
        String text = text(message.content(), maxChars);
        return text.isBlank() ? null : text;
      }
    }
    return null;
  }

  /** Joins the text parts, stopping at the cap, so that a huge message is never copied whole. */
  private static String text(List<ContentPart> content, int maxChars) {
    StringBuilder text = new StringBuilder();
    for (ContentPart part : content) {
      if (!(part instanceof ContentPart.Text t) || t.text().isEmpty()) {
        continue;
      }
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(t.text(), 0, Math.min(t.text().length(), maxChars - text.length() + 1));
      if (text.length() >= maxChars) {
        break;
      }
    }
    return cut(text, maxChars);
  }

  private static String cut(StringBuilder text, int maxChars) {
    if (text.length() <= maxChars) {
      return text.toString();
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
