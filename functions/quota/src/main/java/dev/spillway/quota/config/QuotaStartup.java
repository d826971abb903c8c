package dev.spillway.quota.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;

/** Refuses to start with an unusable configuration, naming every offending key at once. */
@Singleton
public class QuotaStartup {

  void onStart(@Observes StartupEvent event, QuotaConfig config) {
    List<String> problems = new QuotaConfigValidator().problems(config);
    if (!problems.isEmpty()) {
      String message = "invalid quota configuration:\n  - " + String.join("\n  - ", problems);
      Log.error(message);
      throw new IllegalStateException(message);
    }
  }
}
