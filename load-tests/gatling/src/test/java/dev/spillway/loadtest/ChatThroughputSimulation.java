package dev.spillway.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Non-streamed chat completions at a target rate ({@code -Drate=N}, open model: N new requests a
 * second whatever the latency) or at a fixed concurrency ({@code -Dusers=N}, closed model: N
 * clients each sending its next request when the last one is answered).
 */
public class ChatThroughputSimulation extends Simulation {

  private static final LoadTestConfig CONFIG = LoadTestConfig.fromSystemProperties();

  private final ChainBuilder chat =
      exec(
          http("chat")
              .post("/v1/chat/completions")
              .body(StringBody(CONFIG.chatBody(false)))
              .check(status().is(200), jsonPath("$.choices[0].message").exists()));

  {
    System.out.println("ChatThroughputSimulation: " + CONFIG.describe());
    PopulationBuilder population;
    HttpProtocolBuilder protocol = CONFIG.httpProtocol();
    if (CONFIG.rate() > 0) {
      // Open model: every virtual user sends one request, so they share a connection pool
      // rather than each opening and closing its own.
      ScenarioBuilder arrivals = scenario("chat at a rate").exec(chat);
      population =
          CONFIG.rampSeconds() > 0
              ? arrivals.injectOpen(
                  rampUsersPerSec(1).to(CONFIG.rate()).during(CONFIG.rampSeconds()),
                  constantUsersPerSec(CONFIG.rate()).during(CONFIG.durationSeconds()))
              : arrivals.injectOpen(
                  constantUsersPerSec(CONFIG.rate()).during(CONFIG.durationSeconds()));
      protocol = protocol.shareConnections();
    } else {
      ScenarioBuilder clients = scenario("chat at a concurrency").forever().on(chat);
      population =
          clients.injectOpen(
              CONFIG.rampSeconds() > 0
                  ? rampUsers(CONFIG.users()).during(CONFIG.rampSeconds())
                  : atOnceUsers(CONFIG.users()));
    }
    setUp(population)
        .protocols(protocol)
        .maxDuration(CONFIG.totalDuration())
        .assertions(global().failedRequests().percent().lte(CONFIG.maxErrorPercent()));
  }
}
