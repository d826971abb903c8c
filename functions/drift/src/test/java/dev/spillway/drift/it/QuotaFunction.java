package dev.spillway.drift.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real quota function (its jar, test profile) as a separate process, which owns tenant keys:
 * the drift function under test resolves them there. Its tables live in a schema of their own
 * ({@code drift_it}, cleaned at start), apart from the quota function's own tests.
 */
public class QuotaFunction implements QuarkusTestResourceLifecycleManager {

  public static final String ADMIN_KEY = "sk-spillway-admin-local-dev";
  public static final String SERVICE_KEY = "sk-spillway-service-local-dev";

  private static final String SCHEMA = "drift_it";

  private static final FunctionProcess PROCESS =
      new FunctionProcess(
          "quota",
          Path.of("../quota/target/quarkus-app/quarkus-run.jar"),
          List.of(
              "-Dquarkus.profile=test",
              "-Dquarkus.flyway.schemas=" + SCHEMA,
              "-Dquarkus.flyway.default-schema=" + SCHEMA,
              "-Dquarkus.datasource.reactive.additional-properties.search_path=" + SCHEMA,
              "-Dquarkus.flyway.clean-disabled=false",
              "-Dquarkus.flyway.clean-at-start=true",
              "-Dquarkus.log.level=WARN"));

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(PROCESS::stop));
  }

  public static String url() {
    return PROCESS.start();
  }

  @Override
  public Map<String, String> start() {
    return Map.of("drift.quota.url", url(), "drift.quota.service-key", SERVICE_KEY);
  }

  @Override
  public void stop() {
    PROCESS.stop();
  }
}
