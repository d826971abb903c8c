package dev.spillway.openai;

import com.fasterxml.jackson.databind.JsonNode;

/** One part of a message's content: text, an image, or a kind the gateway relays untouched. */
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text) implements ContentPart {}

  /**
   * An image by URL; {@code url} may be a {@code data:} URL carrying base64 bytes.
   *
   * @param detail OpenAI's {@code detail} hint, or null
   */
  record Image(String url, String detail) implements ContentPart {}

  /** Any other part type (audio, file, …): kept as sent so OpenAI-compatible upstreams get it. */
  record Other(String type, JsonNode raw) implements ContentPart {}
}
