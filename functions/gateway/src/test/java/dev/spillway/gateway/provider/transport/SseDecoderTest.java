package dev.spillway.gateway.provider.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
