package dev.spillway.simulator.scenario;

import dev.spillway.simulator.Fault;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Per-request overrides of the model profile and fault behaviour, taken from {@code x-sim-*}
 * headers or from directives appended to the model name.
 *
 * <p>Model-name grammar (the gateway under test does not forward client headers, so this is how its
 * tests reach the upstream):
 *
 * <pre>
 *   model      = name [ "@" directive *( "," directive ) ]
 *   directive  = key "=" value
 *   key        = "ttft" | "itl" | "tokens" | "fault" | "usage" | "retry-after" | "stall"
 *              | "cut-at" | "flap" | "fault-rate"
 * </pre>
 *
 * The split is at the last {@code @}, and only when the text after it contains {@code =}, so names
 * such as {@code claude-3@20240229} stay whole. Values: {@code ttft}, {@code itl} and {@code stall}
 * in milliseconds, {@code tokens} a count, {@code retry-after} seconds, {@code usage} only {@code
 * omit}, {@code fault} a {@link Fault} wire name, {@code cut-at} a token count or {@code random},
 * {@code flap} a positive window in milliseconds, {@code fault-rate} a probability in [0, 1].
 *
 * @param ttftMillis exact time to first token
 * @param itlMillis exact inter-token latency
 * @param outputTokens answer length in tokens
 * @param fault the fault to inject, {@link Fault#NONE} to suppress random ones
 * @param omitUsage leave usage out of the response
 * @param retryAfterSeconds {@code Retry-After} to send with a 429 or 503
 * @param stallMillis how long a stall lasts before the connection is closed
 * @param cutAt where {@code cut-mid} and {@code stall-mid} break the answer (half when empty)
 * @param flapMillis the fault applies only in even windows of this length since the start
 * @param faultRate the fault applies with this probability
 */
public record Directives(
    OptionalLong ttftMillis,
    OptionalLong itlMillis,
    OptionalInt outputTokens,
    Optional<Fault> fault,
    boolean omitUsage,
    OptionalInt retryAfterSeconds,
    OptionalLong stallMillis,
    Optional<CutPoint> cutAt,
    OptionalLong flapMillis,
    OptionalDouble faultRate) {

  /** No overrides. */
  public static final Directives NONE =
      new Directives(
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalInt.empty(),
          Optional.empty(),
          false,
          OptionalInt.empty(),
          OptionalLong.empty(),
          Optional.empty(),
          OptionalLong.empty(),
          OptionalDouble.empty());

  /** Request headers that carry directives, each named after its model-name key. */
  public static final String HEADER_TTFT = "x-sim-ttft-ms";

  public static final String HEADER_ITL = "x-sim-itl-ms";
  public static final String HEADER_TOKENS = "x-sim-tokens";
  public static final String HEADER_FAULT = "x-sim-fault";
  public static final String HEADER_USAGE = "x-sim-usage";
  public static final String HEADER_RETRY_AFTER = "x-sim-retry-after";
  public static final String HEADER_STALL = "x-sim-stall-ms";
  public static final String HEADER_CUT_AT = "x-sim-cut-at";
  public static final String HEADER_FLAP = "x-sim-flap-ms";
  public static final String HEADER_FAULT_RATE = "x-sim-fault-rate";

  /**
   * A model name split into the name to echo and its directives.
   *
   * @param name the model name without directives
   * @param directives what followed the {@code @}
   */
  public record ModelName(String name, Directives directives) {}

  /**
   * Splits directives off a model name.
   *
   * @throws IllegalArgumentException naming the directive that is unknown or malformed
   */
  public static ModelName parseModel(String model) {
    int at = model.lastIndexOf('@');
    if (at < 0 || model.indexOf('=', at) < 0) {
      return new ModelName(model, NONE);
    }
    Builder builder = new Builder();
    for (String directive : model.substring(at + 1).split(",", -1)) {
      int eq = directive.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "model directive '" + directive + "' must have the form key=value");
      }
      builder.set(directive.substring(0, eq).trim(), directive.substring(eq + 1).trim());
    }
    return new ModelName(model.substring(0, at), builder.build());
  }

  /**
   * Reads the {@code x-sim-*} headers through a lookup that returns {@code null} when a header is
   * absent.
   *
   * @throws IllegalArgumentException naming the header whose value is malformed
   */
  public static Directives fromHeaders(Function<String, String> header) {
    Builder builder = new Builder();
    builder.setHeader("ttft", header.apply(HEADER_TTFT), HEADER_TTFT);
    builder.setHeader("itl", header.apply(HEADER_ITL), HEADER_ITL);
    builder.setHeader("tokens", header.apply(HEADER_TOKENS), HEADER_TOKENS);
    builder.setHeader("fault", header.apply(HEADER_FAULT), HEADER_FAULT);
    builder.setHeader("usage", header.apply(HEADER_USAGE), HEADER_USAGE);
    builder.setHeader("retry-after", header.apply(HEADER_RETRY_AFTER), HEADER_RETRY_AFTER);
    builder.setHeader("stall", header.apply(HEADER_STALL), HEADER_STALL);
    builder.setHeader("cut-at", header.apply(HEADER_CUT_AT), HEADER_CUT_AT);
    builder.setHeader("flap", header.apply(HEADER_FLAP), HEADER_FLAP);
    builder.setHeader("fault-rate", header.apply(HEADER_FAULT_RATE), HEADER_FAULT_RATE);
    return builder.build();
  }

  /** These directives with every override that {@code other} sets taking precedence. */
  public Directives overriddenBy(Directives other) {
    return new Directives(
        other.ttftMillis.isPresent() ? other.ttftMillis : ttftMillis,
        other.itlMillis.isPresent() ? other.itlMillis : itlMillis,
        other.outputTokens.isPresent() ? other.outputTokens : outputTokens,
        other.fault.isPresent() ? other.fault : fault,
        other.omitUsage || omitUsage,
        other.retryAfterSeconds.isPresent() ? other.retryAfterSeconds : retryAfterSeconds,
        other.stallMillis.isPresent() ? other.stallMillis : stallMillis,
        other.cutAt.isPresent() ? other.cutAt : cutAt,
        other.flapMillis.isPresent() ? other.flapMillis : flapMillis,
        other.faultRate.isPresent() ? other.faultRate : faultRate);
  }

  /** Collects values by key; the same keys serve headers and model directives. */
  private static final class Builder {
    private OptionalLong ttft = OptionalLong.empty();
    private OptionalLong itl = OptionalLong.empty();
    private OptionalInt tokens = OptionalInt.empty();
    private Optional<Fault> fault = Optional.empty();
    private boolean omitUsage;
    private OptionalInt retryAfter = OptionalInt.empty();
    private OptionalLong stall = OptionalLong.empty();
    private Optional<CutPoint> cutAt = Optional.empty();
    private OptionalLong flap = OptionalLong.empty();
    private OptionalDouble faultRate = OptionalDouble.empty();

    void setHeader(String key, String value, String header) {
      if (value == null) {
        return;
      }
      try {
        set(key, value.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("header " + header + ": " + e.getMessage(), e);
      }
    }

    void set(String key, String value) {
      switch (key.toLowerCase(Locale.ROOT)) {
        case "ttft" -> ttft = OptionalLong.of(nonNegativeLong(key, value));
        case "itl" -> itl = OptionalLong.of(nonNegativeLong(key, value));
        case "tokens" -> tokens = OptionalInt.of(Math.toIntExact(nonNegativeLong(key, value)));
        case "retry-after" ->
            retryAfter = OptionalInt.of(Math.toIntExact(nonNegativeLong(key, value)));
        case "stall" -> stall = OptionalLong.of(nonNegativeLong(key, value));
        case "cut-at" -> cutAt = Optional.of(CutPoint.parse(value));
        case "flap" -> {
          long window = nonNegativeLong(key, value);
          if (window == 0) {
            throw new IllegalArgumentException("flap must be a positive number of ms, was 0");
          }
          flap = OptionalLong.of(window);
        }
        case "fault-rate" -> faultRate = OptionalDouble.of(probability(key, value));
        case "fault" ->
            fault =
                Optional.of(
                    Fault.fromWireName(value)
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    "unknown fault '"
                                        + value
                                        + "', expected one of: "
                                        + Fault.wireNames())));
        case "usage" -> {
          if (!value.equalsIgnoreCase("omit")) {
            throw new IllegalArgumentException("usage must be 'omit', was '" + value + "'");
          }
          omitUsage = true;
        }
        default ->
            throw new IllegalArgumentException(
                "unknown directive '"
                    + key
                    + "', expected one of: ttft, itl, tokens, fault, usage, retry-after, stall,"
                    + " cut-at, flap, fault-rate");
      }
    }

    Directives build() {
      return new Directives(
          ttft, itl, tokens, fault, omitUsage, retryAfter, stall, cutAt, flap, faultRate);
    }

    private static double probability(String key, String value) {
      double parsed;
      try {
        parsed = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            key + " must be a number in [0, 1], was '" + value + "'");
      }
      // The negated range test also rejects NaN.
      if (!(parsed >= 0 && parsed <= 1)) {
        throw new IllegalArgumentException(key + " must be in [0, 1], was " + value);
      }
      return parsed;
    }

    private static long nonNegativeLong(String key, String value) {
      long parsed;
      try {
        parsed = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
      }
      if (parsed < 0 || parsed > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(key + " must be in [0, 2147483647], was " + parsed);
      }
      return parsed;
    }
  }
}
