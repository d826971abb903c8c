package dev.spillway.quota.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.problems.WebFailures;
import org.junit.jupiter.api.Test;

class QuotaErrorTest {

  /** ProblemResponses maps the framework's failures by name: each needs its namesake here. */
  @Test
  void everyStandardFailureHasItsNamesake() {
    for (WebFailures.Standard kind : WebFailures.Standard.values()) {
      assertEquals(kind.name(), QuotaError.valueOf(kind.name()).name());
    }
  }
}
