package dev.spillway.gateway.it;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Splits an SSE body the gateway sent into its {@code data:} payloads, for assertions. */
final class Sse {

  private Sse() {}

  static List<String> data(String body) {
    List<String> data = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          data.add(line.substring("data: ".length()));
        }
      }
    }
    return data;
  }

  /** The JSON chunks, without the final {@code [DONE]}. */
  static List<JsonObject> chunks(String body) {
    List<JsonObject> chunks = new ArrayList<>();
    for (String d : data(body)) {
      if (!d.equals("[DONE]")) {
        chunks.add(new JsonObject(d));
      }
    }
    return chunks;
  }

  /** The assistant text the chunks carry, concatenated. */
  static String content(List<JsonObject> chunks) {
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks) {
      var choices = chunk.getJsonArray("choices");
      if (choices != null && !choices.isEmpty()) {
        String part =
            choices.getJsonObject(0).getJsonObject("delta", new JsonObject()).getString("content");
        if (part != null) {
          text.append(part);
        }
      }
    }
    return text.toString();
  }
}
