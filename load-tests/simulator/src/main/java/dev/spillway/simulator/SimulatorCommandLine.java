package dev.spillway.simulator;

import dev.spillway.simulator.scenario.Directives;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses the simulator's command line into {@link SimulatorOptions}. Stateless. */
public final class SimulatorCommandLine {

  /** Port the command line listens on when {@code --port} is not given. */
  public static final int DEFAULT_PORT = 8090;

  /** Exit status for a command line that cannot be understood. */
  public static final int USAGE_ERROR = 2;

  /** The outcome of parsing: start, show help, or refuse with a message. */
  public sealed interface Parsed permits Start, Help, Invalid {
    /** The process exit status this outcome ends with, if it ends the process. */
    int exitCode();
  }

  /**
   * Start a simulator with these options.
   *
   * @param options the parsed options
   */
  public record Start(SimulatorOptions options) implements Parsed {
    @Override
    public int exitCode() {
      return 0;
    }
  }

  /** Print {@link #usage()} and exit successfully. */
  public record Help() implements Parsed {
    @Override
    public int exitCode() {
      return 0;
    }
  }

  /**
   * Print the message and a hint, and exit with {@link #USAGE_ERROR}.
   *
   * @param message what is wrong, naming the flag
   */
  public record Invalid(String message) implements Parsed {
    @Override
    public int exitCode() {
      return USAGE_ERROR;
    }
  }

  private static final Set<String> FLAGS =
      Set.of(
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
          "--outcomes",
          "--outcome-model");

  private SimulatorCommandLine() {}

  /** Parses {@code args}; never throws for bad input. */
  public static Parsed parse(String[] args) {
    SimulatorOptions.Builder builder = SimulatorOptions.builder().port(DEFAULT_PORT);
    ModelProfile profile = ModelProfile.DEFAULT;
    List<String> modelSpecs = new ArrayList<>();
    String outcomes = null;
    java.util.Map<String, String> outcomeModels = new java.util.LinkedHashMap<>();
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--help") || arg.equals("-h")) {
          return new Help();
        }
        if (!arg.startsWith("--")) {
          return new Invalid("unexpected argument '" + arg + "'");
        }
        String flag = arg;
        String value;
        int eq = arg.indexOf('=');
        if (eq > 0) {
          flag = arg.substring(0, eq);
        }
        if (!FLAGS.contains(flag)) {
          return new Invalid("unknown flag '" + flag + "'");
        }
        if (eq > 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          return new Invalid(flag + " needs a value");
        }
        switch (flag) {
          case "--port" -> builder.port(intValue(flag, value, 0, 65535));
          case "--host" -> builder.host(value);
          case "--seed" -> builder.seed(longValue(flag, value));
          case "--ttft-ms" ->
              profile =
                  new ModelProfile(
                      intValue(flag, value, 0, Integer.MAX_VALUE),
                      profile.ttftJitter(),
                      profile.itlMillis(),
                      profile.itlJitter(),
                      profile.outputTokens());
          case "--ttft-jitter" ->
              profile =
                  new ModelProfile(
                      profile.ttftMillis(),
                      sigmaValue(flag, value),
                      profile.itlMillis(),
                      profile.itlJitter(),
                      profile.outputTokens());
          case "--itl-ms" ->
              profile =
                  new ModelProfile(
                      profile.ttftMillis(),
                      profile.ttftJitter(),
                      intValue(flag, value, 0, Integer.MAX_VALUE),
                      profile.itlJitter(),
                      profile.outputTokens());
          case "--itl-jitter" ->
              profile =
                  new ModelProfile(
                      profile.ttftMillis(),
                      profile.ttftJitter(),
                      profile.itlMillis(),
                      sigmaValue(flag, value),
                      profile.outputTokens());
          case "--tokens" ->
              profile = profile.withOutputTokens(intValue(flag, value, 0, Integer.MAX_VALUE));
          case "--tpm" -> builder.tokensPerMinute(intValue(flag, value, 0, Integer.MAX_VALUE));
          case "--instances" -> builder.eventLoops(intValue(flag, value, 1, 1024));
          case "--api-key" -> builder.apiKey(value);
          // Resolved against the final default profile below, whatever the flag order.
          case "--model" -> modelSpecs.add(value);
          case "--outcomes" -> outcomes = value;
          case "--outcome-model" -> {
            int sep = value.indexOf('=');
            if (sep <= 0 || sep == value.length() - 1) {
              return new Invalid(
                  "--outcome-model needs NAME=CANDIDATE (a simulated model and the outcome"
                      + " table's column it replays), got '"
                      + value
                      + "'");
            }
            outcomeModels.put(value.substring(0, sep), value.substring(sep + 1));
          }
          default -> throw new IllegalStateException("flag without a case: " + flag);
        }
      }
      builder.defaultProfile(profile);
      for (String spec : modelSpecs) {
        addModel(builder, profile, spec);
      }
      if (outcomes == null && !outcomeModels.isEmpty()) {
        return new Invalid("--outcome-model needs --outcomes (the outcome table to replay)");
      }
      if (outcomes != null) {
        java.nio.file.Path data = java.nio.file.Path.of(outcomes);
        if (!java.nio.file.Files.exists(data)) {
          return new Invalid("--outcomes " + outcomes + ": no such file or directory");
        }
        try {
          builder.outcomes(OutcomeReplay.read(data, outcomeModels));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
          return new Invalid("--outcomes: " + e.getMessage());
        }
      }
      return new Start(builder.build());
    } catch (IllegalArgumentException e) {
      return new Invalid(e.getMessage());
    }
  }

  /** {@code --model NAME[@ttft=MS,itl=MS,tokens=N]}: a named model with its own profile. */
  private static void addModel(SimulatorOptions.Builder builder, ModelProfile base, String spec) {
    Directives.ModelName model;
    try {
      model = Directives.parseModel(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--model: " + e.getMessage(), e);
    }
    Directives directives = model.directives();
    if (directives.fault().isPresent()
        || directives.omitUsage()
        || directives.retryAfterSeconds().isPresent()
        || directives.stallMillis().isPresent()) {
      throw new IllegalArgumentException(
          "--model: only ttft, itl and tokens describe a model profile, in '" + spec + "'");
    }
    if (model.name().isBlank()) {
      throw new IllegalArgumentException("--model: the model name is empty in '" + spec + "'");
    }
    ModelProfile profile = base;
    if (directives.ttftMillis().isPresent()) {
      profile = profile.withTtftMillis(directives.ttftMillis().getAsLong());
    }
    if (directives.itlMillis().isPresent()) {
      profile = profile.withItlMillis(directives.itlMillis().getAsLong());
    }
    if (directives.outputTokens().isPresent()) {
      profile = profile.withOutputTokens(directives.outputTokens().getAsInt());
    }
    builder.model(model.name(), profile);
  }

  /** The help text. */
  public static String usage() {
    ModelProfile d = ModelProfile.DEFAULT;
    return String.join(
        "\n",
        "Usage: java -jar spillway-upstream-simulator-all.jar [flags]",
        "",
        "A fast, deterministic stand-in for OpenAI- and Anthropic-style LLM upstreams.",
        "",
        "Flags (--flag value or --flag=value):",
        "  --port N          port to listen on; 0 picks a free one        (default "
            + DEFAULT_PORT
            + ")",
        "  --host ADDR       address to bind                              (default 0.0.0.0)",
        "  --seed N          seed for content and fault draws             (default 42)",
        "  --ttft-ms N       median time to first token, ms               (default "
            + d.ttftMillis()
            + ")",
        "  --ttft-jitter S   lognormal sigma of the TTFT; 0 = fixed       (default 0)",
        "  --itl-ms N        median inter-token latency, ms               (default "
            + d.itlMillis()
            + ")",
        "  --itl-jitter S    lognormal sigma of the ITL; 0 = fixed        (default 0)",
        "  --tokens N        output tokens of a text answer               (default "
            + d.outputTokens()
            + ")",
        "  --tpm N           upstream tokens-per-minute limit; 0 = none   (default 0)",
        "  --instances N     event loops / server instances               (default: cores)",
        "  --api-key KEY     require this key (Bearer or x-api-key)       (default: none)",
        "  --model SPEC      a model with its own profile, repeatable:",
        "                    NAME[@ttft=MS,itl=MS,tokens=N], e.g. gpt-4o@ttft=400,itl=25",
        "  --outcomes PATH   replay recorded outcomes: a CSV (prompt, candidates) or an",
        "                    MMLU directory; mapped models answer each prompt right or",
        "                    wrong as recorded (\"The answer is X.\")",
        "  --outcome-model NAME=CANDIDATE  a simulated model and the column it replays,",
        "                    repeatable",
        "  -h, --help        show this help",
        "",
        "Fault names for x-sim-fault, the fault= model directive and POST /admin/faults:",
        "  " + Fault.wireNames(),
        "");
  }

  private static int intValue(String flag, String value, int min, int max) {
    long parsed = longValue(flag, value);
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          flag + " must be in [" + min + ", " + max + "], was " + parsed);
    }
    return (int) parsed;
  }

  private static long longValue(String flag, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
    }
  }

  private static double sigmaValue(String flag, String value) {
    double parsed;
    try {
      parsed = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, was '" + value + "'");
    }
    if (!(parsed >= 0 && parsed <= 5)) {
      throw new IllegalArgumentException(flag + " must be in [0, 5], was " + value);
    }
    return parsed;
  }
}
