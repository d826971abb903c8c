package dev.spillway.openai;

import java.util.List;

/**
 * One message of a conversation.
 *
 * @param role who wrote it
 * @param content its parts; a plain string content arrives as one {@link ContentPart.Text}; empty
 *     when the message has no content (an assistant message that only calls tools)
 * @param toolCalls the tool calls of an assistant message; empty otherwise
 * @param toolCallId the call a {@code tool} message answers; null for other roles
 * @param name the optional participant name
 */
public record ChatMessage(
    Role role,
    List<ContentPart> content,
    List<ToolCall> toolCalls,
    String toolCallId,
    String name) {

  public ChatMessage {
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
  }

  /** The text parts joined: what token counting and text-only providers see. */
  public String text() {
    if (content.size() == 1 && content.get(0) instanceof ContentPart.Text only) {
      return only.text();
    }
    StringBuilder text = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) {
        text.append(t.text());
      }
    }
    return text.toString();
  }
}
