package dev.spillway.drift.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TenantRequestsTest {

  @Test
  void windowsParseInBothForms() {
    assertEquals(Duration.ofHours(1), TenantRequests.window("PT1H"));
    assertEquals(Duration.ofMinutes(90), TenantRequests.window("90m"));
    assertEquals(Duration.ofDays(1), TenantRequests.window("1d"));
    assertEquals(Duration.ofSeconds(120), TenantRequests.window(" 120s "));
  }

  @Test
  void windowsOutsideTheRangeOrUnreadableAreRefusedNamingTheField() {
    for (String bad : new String[] {"30s", "32d", "PT0.5S", "an hour", "-1h", ""}) {
      DriftException e = assertThrows(DriftException.class, () -> TenantRequests.window(bad));
      assertTrue(e.getMessage().contains("'window'"), bad + ": " + e.getMessage());
      assertEquals(DriftError.INVALID_REQUEST, e.error());
    }
  }
}
