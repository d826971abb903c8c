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

  /** The event's first data line; most events have only one. */
  private String firstData;

  /** The event's data once a second line came; null before. */
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
        lineEnded(bytes, lineStart, i, events);
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
  private void lineEnded(byte[] bytes, int start, int end, List<SseEvent> events) {
    if (pendingLength == 0) {
      checkLine(end - start);
      line(bytes, start, end, events);
      return;
    }
    keep(bytes, start, end - start);
    int length = pendingLength;
    pendingLength = 0;
    line(pending, 0, length, events);
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

  /**
   * One line, read from the bytes: field names are ASCII, so only the value is decoded, once,
   * straight into the string the event carries.
   */
  private void line(byte[] buf, int start, int end, List<SseEvent> events) {
    if (start == end) {
      if (firstData != null) {
        events.add(new SseEvent(event, data != null ? data.toString() : firstData));
      }
      event = null;
      firstData = null;
      data = null;
      return;
    }
    if (buf[start] == ':') {
      return;
    }
    int colon = start;
    while (colon < end && buf[colon] != ':') {
      colon++;
    }
    int valueStart = colon;
    if (colon < end) {
      valueStart = colon + 1;
      if (valueStart < end && buf[valueStart] == ' ') {
        valueStart++;
      }
    }
    if (is(buf, start, colon, DATA)) {
      String value = new String(buf, valueStart, end - valueStart, StandardCharsets.UTF_8);
      if (firstData == null) {
        firstData = value;
      } else {
        // Many short data lines add up to one event: bound the sum, not just each line.
        if (data == null) {
          data = new StringBuilder(firstData);
        }
        if (data.length() + 1 + value.length() > maxBytes) {
          throw new TooLong("event", maxBytes);
        }
        data.append('\n').append(value);
      }
    } else if (is(buf, start, colon, EVENT)) {
      event = new String(buf, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
    // id and retry are not used by LLM streams; unknown fields are ignored by the spec.
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};

  private static boolean is(byte[] buf, int start, int end, byte[] name) {
    if (end - start != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (buf[start + i] != name[i]) {
        return false;
      }
    }
    return true;
  }
}
