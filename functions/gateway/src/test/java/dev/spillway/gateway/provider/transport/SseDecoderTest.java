package dev.spillway.gateway.provider.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decodesEventsWithNamesCommentsAndMultiLineData() {
    SseDecoder decoder = new SseDecoder();
    List<SseEvent> events =
        decoder.feed(bytes(": keep-alive\n\nevent: ping\ndata: {}\n\ndata: a\ndata: b\n\n"));
    assertEquals(List.of(new SseEvent("ping", "{}"), new SseEvent(null, "a\nb")), events);
  }

  @Test
  void eventsSplitAnywhereAcrossBuffersIncludingInsideUtf8() {
    String stream = "data: {\"content\":\"héllo ✓\"}\r\n\r\ndata: [DONE]\r\n\r\n";
    byte[] all = bytes(stream);
    for (int cut = 1; cut < all.length; cut++) {
      SseDecoder decoder = new SseDecoder();
      List<SseEvent> events = new ArrayList<>();
      byte[] first = java.util.Arrays.copyOfRange(all, 0, cut);
      byte[] second = java.util.Arrays.copyOfRange(all, cut, all.length);
      events.addAll(decoder.feed(first));
      events.addAll(decoder.feed(second));
      assertEquals(
          List.of(new SseEvent(null, "{\"content\":\"héllo ✓\"}"), new SseEvent(null, "[DONE]")),
          events,
          "cut at byte " + cut);
    }
  }

  @Test
  void anUnterminatedEventIsNotEmitted() {
    SseDecoder decoder = new SseDecoder();
    assertEquals(List.of(), decoder.feed(bytes("data: partial")));
    assertEquals(List.of(), decoder.feed(bytes("\n")));
    assertEquals(List.of(new SseEvent(null, "partial")), decoder.feed(bytes("\n")));
  }

  @Test
  void aLineLongerThanTheBoundIsRefusedEvenWhenItArrivesInSmallPieces() {
    SseDecoder decoder = new SseDecoder(1024);
    decoder.feed(bytes("data: "));
    byte[] piece = bytes("x".repeat(100));
    for (int i = 0; i < 10; i++) {
      decoder.feed(piece);
    }
    assertThrows(SseDecoder.TooLong.class, () -> decoder.feed(piece));
  }

  @Test
  void aLineLongerThanTheBoundInOneBufferIsRefused() {
    SseDecoder decoder = new SseDecoder(1024);
    assertThrows(
        SseDecoder.TooLong.class, () -> decoder.feed(bytes("data: " + "x".repeat(2000) + "\n")));
  }

  @Test
  void manyShortDataLinesCannotAddUpPastTheBound() {
    SseDecoder decoder = new SseDecoder(1024);
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      lines.append("data: 0123456789\n");
    }
    assertThrows(SseDecoder.TooLong.class, () -> decoder.feed(bytes(lines.toString())));
  }

  @Test
  void aLineJustWithinTheBoundArrivingByteByByteIsDecoded() {
    SseDecoder decoder = new SseDecoder(1024);
    String value = "y".repeat(1024 - "data: ".length());
    List<SseEvent> events = new ArrayList<>();
    for (byte b : bytes("data: " + value + "\n\n")) {
      events.addAll(decoder.feed(new byte[] {b}));
    }
    assertEquals(List.of(new SseEvent(null, value)), events);
  }
}
