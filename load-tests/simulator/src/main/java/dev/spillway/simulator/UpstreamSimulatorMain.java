package dev.spillway.simulator;

import java.util.concurrent.CountDownLatch;

/** Command-line entry point: {@code java -jar spillway-upstream-simulator-all.jar --help}. */
public final class UpstreamSimulatorMain {

  private UpstreamSimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorCommandLine.Parsed parsed = SimulatorCommandLine.parse(args);
    if (parsed instanceof SimulatorCommandLine.Help) {
      System.out.println(SimulatorCommandLine.usage());
      System.exit(parsed.exitCode());
    }
    if (parsed instanceof SimulatorCommandLine.Invalid invalid) {
      System.err.println("error: " + invalid.message());
      System.err.println("Run with --help to see the flags.");
      System.exit(parsed.exitCode());
    }
    SimulatorOptions options = ((SimulatorCommandLine.Start) parsed).options();
    UpstreamSimulator simulator;
    try {
      simulator = UpstreamSimulator.start(options);
    } catch (IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    ModelProfile profile = options.defaultProfile();
    System.out.printf(
        "spillway-upstream-simulator listening on %s:%d (seed %d, %d event loops, ttft %d ms,"
            + " itl %d ms, %d tokens, tpm %s, api key %s)%n",
        options.host(),
        simulator.port(),
        options.seed(),
        options.eventLoops(),
        profile.ttftMillis(),
        profile.itlMillis(),
        profile.outputTokens(),
        options.tokensPerMinute() == 0 ? "unlimited" : options.tokensPerMinute(),
        options.apiKey().isPresent() ? "required" : "not required");

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "simulator-shutdown"));
    stopped.await();
  }
}
