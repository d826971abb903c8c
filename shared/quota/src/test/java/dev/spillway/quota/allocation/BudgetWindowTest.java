package dev.spillway.quota.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.quota.Dimension;
import dev.spillway.quota.ResourceId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {

  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Instant NOW = Instant.parse("2026-02-14T10:37:42.123Z");

  @Test
  void minuteWindowsAlignToUtcMinutes() {
    BudgetWindow w =
        BudgetWindow.of(ResourceId.tenant("a", Dimension.TOKENS_PER_MINUTE), 600, NOW, SECOND);
    assertEquals(Instant.parse("2026-02-14T10:37:00Z").toEpochMilli(), w.start());
    assertEquals(Instant.parse("2026-02-14T10:38:00Z").toEpochMilli(), w.end());
    assertEquals(600, w.limit());
    assertEquals(17_877, w.endsInMs(NOW.toEpochMilli()));
  }

  @Test
  void dayAndMonthWindowsAlignToUtcCalendar() {
    BudgetWindow day =
        BudgetWindow.of(ResourceId.tenant("a", Dimension.TOKENS_PER_DAY), 1, NOW, SECOND);
    assertEquals(Instant.parse("2026-02-14T00:00:00Z").toEpochMilli(), day.start());
    BudgetWindow month =
        BudgetWindow.of(ResourceId.tenant("a", Dimension.USD_MICROS_PER_MONTH), 1, NOW, SECOND);
    assertEquals(Instant.parse("2026-02-01T00:00:00Z").toEpochMilli(), month.start());
    assertEquals(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli(), month.end());
  }

  @Test
  void accountsUseShortWindowsWithAProportionalLimit() {
    BudgetWindow w =
        BudgetWindow.of(
            ResourceId.account("openai", Dimension.TOKENS_PER_MINUTE), 6000, NOW, SECOND);
    assertEquals(Instant.parse("2026-02-14T10:37:42Z").toEpochMilli(), w.start());
    assertEquals(1000, w.end() - w.start());
    assertEquals(100, w.limit());
  }

  @Test
  void concurrentRequestsHaveNoWindow() {
    BudgetWindow w =
        BudgetWindow.of(ResourceId.tenant("a", Dimension.CONCURRENT_REQUESTS), 8, NOW, SECOND);
    assertEquals(0, w.start());
    assertTrue(w.unbounded());
    assertEquals(-1, w.endsInMs(NOW.toEpochMilli()));
  }
}
