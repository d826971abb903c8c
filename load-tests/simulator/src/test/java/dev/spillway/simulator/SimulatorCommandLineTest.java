package dev.spillway.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spillway.simulator.SimulatorCommandLine.Invalid;
import dev.spillway.simulator.SimulatorCommandLine.Parsed;
import dev.spillway.simulator.SimulatorCommandLine.Start;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatorCommandLineTest {

  private static SimulatorOptions start(String... args) {
    Parsed parsed = SimulatorCommandLine.parse(args);
    return assertInstanceOf(Start.class, parsed, parsed.toString()).options();
  }

  private static Invalid invalid(String... args) {
    Parsed parsed = SimulatorCommandLine.parse(args);
    Invalid invalid = assertInstanceOf(Invalid.class, parsed);
    assertNotEquals(0, invalid.exitCode());
    return invalid;
  }

  @Test
  void noFlagsGiveTheDocumentedDefaults() {
    SimulatorOptions options = start();

    assertEquals(8090, options.port());
    assertEquals("0.0.0.0", options.host());
    assertEquals(42, options.seed());
    assertEquals(ModelProfile.DEFAULT, options.defaultProfile());
    assertEquals(0, options.tokensPerMinute());
    assertEquals(Runtime.getRuntime().availableProcessors(), options.eventLoops());
    assertEquals(Optional.empty(), options.apiKey());
  }

  @Test
  void everyFlagIsRead() {
    SimulatorOptions options =
        start(
            "--port",
            "9000",
            "--host=127.0.0.1",
            "--seed",
            "7",
            "--ttft-ms",
            "300",
            "--ttft-jitter",
            "0.4",
            "--itl-ms=25",
            "--itl-jitter",
            "0.1",
            "--tokens",
            "64",
            "--tpm",
            "90000",
            "--instances",
            "3",
            "--api-key",
            "sk-x",
            "--model",
            "gpt-4o@ttft=800,tokens=200");

    assertEquals(9000, options.port());
    assertEquals("127.0.0.1", options.host());
    assertEquals(7, options.seed());
    assertEquals(new ModelProfile(300, 0.4, 25, 0.1, 64), options.defaultProfile());
    assertEquals(90000, options.tokensPerMinute());
    assertEquals(3, options.eventLoops());
    assertEquals(Optional.of("sk-x"), options.apiKey());
    assertEquals(new ModelProfile(800, 0, 25, 0.1, 200), options.profileFor("gpt-4o"));
    assertEquals(options.defaultProfile(), options.profileFor("anything-else"));
  }

  @Test
  void modelProfilesBuildOnTheDefaultWhateverTheFlagOrder() {
    SimulatorOptions options = start("--model", "m@itl=1", "--ttft-ms", "5");

    assertEquals(5, options.profileFor("m").ttftMillis());
    assertEquals(1, options.profileFor("m").itlMillis());
  }

  @Test
  void badFlagsAreRejectedWithAMessageNamingThem() {
    assertTrue(invalid("--bogus", "1").message().contains("--bogus"));
    assertTrue(invalid("--bogus").message().contains("--bogus"));
    assertTrue(invalid("--port", "eighty").message().contains("--port"));
    assertTrue(invalid("--port", "70000").message().contains("--port"));
    assertTrue(invalid("--instances", "0").message().contains("--instances"));
    assertTrue(invalid("--ttft-jitter", "-1").message().contains("--ttft-jitter"));
    assertTrue(invalid("--tokens").message().contains("needs a value"));
    assertTrue(invalid("8090").message().contains("8090"));
    assertTrue(invalid("--model", "m@fault=503").message().contains("--model"));
    assertTrue(invalid("--model", "m@speed=2").message().contains("speed"));
  }

  @Test
  void helpIsRecognisedAndListsEveryFlag() {
    Parsed parsed = SimulatorCommandLine.parse(new String[] {"--port", "1", "--help"});

    assertInstanceOf(SimulatorCommandLine.Help.class, parsed);
    assertEquals(0, parsed.exitCode());
    for (String flag :
        new String[] {
          "--port",
          "--host",
          "--seed",
          "--ttft-ms",
          "--ttft-jitter",
          "--itl-ms",
          "--itl-jitter",
          "--tokens",
          "--tpm",
          "--instances",
          "--api-key",
          "--model",
          "--help"
        }) {
      assertTrue(SimulatorCommandLine.usage().contains(flag), flag);
    }
  }
}
