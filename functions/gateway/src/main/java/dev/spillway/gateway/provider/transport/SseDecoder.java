package dev.spillway.gateway.provider.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental decoder of a {@code text/event-stream} body, fed the network buffers as they come.
 *
 * <p>Buffers split events, lines and even UTF-8 characters anywhere, so bytes are kept until a
 * whole line is there. Implements the parts of the WHATWG event-stream grammar that LLM providers
 * use: {@code event:} and {@code data:} fields, comments, LF/CRLF/CR line ends. Not thread-safe:
 * one decoder per stream, fed from one event loop.
 */
public final class SseDecoder {

  private byte[] pending = new byte[0];
  private String event;
  private StringBuilder data;
  private boolean skipLf;

  /** Feeds bytes; returns the events they complete (often none, sometimes several). */
  public List<SseEvent> feed(byte[] bytes) {
    byte[] input = pending.length == 0 ? bytes : concat(pending, bytes);
    List<SseEvent> events = new ArrayList<>(2);
    int lineStart = 0;
    for (int i = 0; i < input.length; i++) {
      byte b = input[i];
      if (b == '\n' && skipLf && i == lineStart) {
        skipLf = false;
        lineStart = i + 1;
        continue;
      }
      skipLf = false;
      if (b == '\n' || b == '\r') {
        line(new String(input, lineStart, i - lineStart, StandardCharsets.UTF_8), events);
        skipLf = b == '\r';
        lineStart = i + 1;
      }
    }
    pending = lineStart == input.length ? new byte[0] : copy(input, lineStart);
    return events;
  }

  private void line(String line, List<SseEvent> events) {
    if (line.isEmpty()) {
      if (data != null) {
        events.add(new SseEvent(event, data.toString()));
      }
      event = null;
      data = null;
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int start = colon + 1;
      if (start < line.length() && line.charAt(start) == ' ') {
        start++;
      }
      value = line.substring(start);
    }
    switch (field) {
      case "data" -> {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      }
      case "event" -> event = value;
      default -> {
        // id and retry are not used by LLM streams; unknown fields are ignored by the spec.
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = new byte[a.length + b.length];
    System.arraycopy(a, 0, joined, 0, a.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static byte[] copy(byte[] input, int from) {
    byte[] rest = new byte[input.length - from];
    System.arraycopy(input, from, rest, 0, rest.length);
    return rest;
  }
}
