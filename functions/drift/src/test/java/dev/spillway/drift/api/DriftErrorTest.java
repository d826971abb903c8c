package dev.spillway.drift.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spillway.problems.WebFailures;
import org.junit.jupiter.api.Test;

class DriftErrorTest {

  /** ProblemResponses maps the framework's failures by name: each needs its namesake here. */
  @Test
  void everyStandardFailureHasItsNamesake() {
    for (WebFailures.Standard kind : WebFailures.Standard.values()) {
      assertEquals(kind.name(), DriftError.valueOf(kind.name()).name());
    }
  }
}
