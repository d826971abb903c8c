package dev.spillway.gateway.provider.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Incremental decoder of a {@code text/event-stream} body, fed the network buffers as they come.
 *
 * <p>Buffers split events, lines and even UTF-8 characters anywhere, so bytes are kept until a
 * whole line is there. Implements the parts of the WHATWG event-stream grammar that LLM providers
 * use: {@code event:} and {@code data:} fields, comments, LF/CRLF/CR line ends. Not thread-safe:
 * one decoder per stream, fed from one event loop.
 *
 * <p>An upstream decides how long its lines are, so both a line and an event's data are bounded
 * ({@link #DEFAULT_MAX_BYTES}): past the bound {@link #feed} throws {@link TooLong} and the caller
 * ends the attempt, rather than letting one bad upstream grow the gateway's heap. The partial line
 * lives in one buffer that grows by doubling, so a long line split into many small network buffers
 * costs linear, not quadratic, copying.
 */
public final class SseDecoder {

  /** 1 MiB: far above any real chunk (a few hundred bytes), far below a heap problem. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  /** A line, or an event's data, longer than the decoder's bound. */
  public static final class TooLong extends RuntimeException {
    TooLong(String what, int maxBytes) {
      super("an SSE " + what + " longer than " + maxBytes + " bytes", null, false, false);
    }
  }

  private final int maxBytes;
  private byte[] pending = new byte[0];
  private int pendingLength;
  private String event;
  private StringBuilder data;
  private boolean skipLf;

  public SseDecoder() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * @param maxBytes the longest line, and the longest event data, accepted
   */
  public SseDecoder(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Feeds bytes; returns the events they complete (often none, sometimes several).
   *
   * @throws TooLong when a line or an event's data passes the bound; the decoder is then unusable
   */
  public List<SseEvent> feed(byte[] bytes) {
    List<SseEvent> events = new ArrayList<>(2);
    int lineStart = 0;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '\n' && skipLf && i == lineStart && pendingLength == 0) {
        skipLf = false;
        lineStart = i + 1;
        continue;
      }
      skipLf = false;
      if (b == '\n' || b == '\r') {
        line(lineText(bytes, lineStart, i), events);
        skipLf = b == '\r';
        lineStart = i + 1;
      }
    }
    if (lineStart < bytes.length) {
      keep(bytes, lineStart, bytes.length - lineStart);
    }
    return events;
  }

  /** The line ending at {@code end}: the kept partial line, if any, then these bytes. */
  private String lineText(byte[] bytes, int start, int end) {
    if (pendingLength == 0) {
      checkLine(end - start);
      return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
    keep(bytes, start, end - start);
    String text = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
    pendingLength = 0;
    return text;
  }

  private void keep(byte[] bytes, int from, int length) {
    checkLine(pendingLength + length);
    if (pendingLength + length > pending.length) {
      pending =
          Arrays.copyOf(
              pending, Math.min(maxBytes, Math.max(pendingLength + length, 2 * pending.length)));
    }
    System.arraycopy(bytes, from, pending, pendingLength, length);
    pendingLength += length;
  }

  private void checkLine(int length) {
    if (length > maxBytes) {
      throw new TooLong("line", maxBytes);
    }
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
          // Many short data lines add up to one event: bound the sum, not just each line.
          if (data.length() + 1 + value.length() > maxBytes) {
            throw new TooLong("event", maxBytes);
          }
          data.append('\n').append(value);
        }
      }
      case "event" -> event = value;
      default -> {
        // id and retry are not used by LLM streams; unknown fields are ignored by the spec.
      }
    }
  }
}
