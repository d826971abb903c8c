package dev.spillway.gateway.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

  @Test
  void writesDurationsAsOpenAiDoes() {
    assertEquals("0ms", RateLimitHeaders.duration(0));
    assertEquals("120ms", RateLimitHeaders.duration(120));
    assertEquals("1s", RateLimitHeaders.duration(1_000));
    assertEquals("2s", RateLimitHeaders.duration(1_001), "rounded up");
    assertEquals("59s", RateLimitHeaders.duration(59_000));
    assertEquals("6m0s", RateLimitHeaders.duration(360_000));
    assertEquals("1h2m3s", RateLimitHeaders.duration(3_723_000));
    assertEquals("24h0m0s", RateLimitHeaders.duration(86_400_000));
  }
}
