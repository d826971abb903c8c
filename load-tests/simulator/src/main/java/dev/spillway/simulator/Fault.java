package dev.spillway.simulator;

import java.util.Locale;
import java.util.Optional;

/**
 * A misbehaviour the simulator can inject into one completion request. Each constant's {@link
 * #wireName()} is what the {@code x-sim-fault} header, the {@code fault=} model directive and the
 * admin rate keys use.
 */
public enum Fault {
  /** Behave normally; as a header or directive it also suppresses randomly drawn faults. */
  NONE("none"),
  /** 429 with {@code Retry-After} (1 s unless overridden) and a provider-shaped error body. */
  RATE_LIMITED("429"),
  /** 500 with a provider-shaped error body. */
  SERVER_ERROR("500"),
  /** 503 with a provider-shaped error body. */
  UNAVAILABLE("503"),
  /** Close the TCP connection abruptly (RST) without sending anything. */
  RESET("reset"),
  /**
   * Stream: send 200 and SSE headers, then nothing. Non-stream: send nothing. Close after the
   * stall.
   */
  STALL_FIRST("stall-first"),
  /**
   * Send half the tokens (or half the body), then nothing; close after the stall. {@code cut-at}
   * moves the break to a given or random token.
   */
  STALL_MID("stall-mid"),
  /**
   * Send half the tokens (or half the body), then close the connection: no final chunk. {@code
   * cut-at} moves the break to a given or random token.
   */
  CUT_MID("cut-mid"),
  /** 200 with empty content and a normal {@code stop} finish. */
  EMPTY("empty"),
  /** 200 whose content is a JSON document cut in the middle, with a normal {@code stop} finish. */
  TRUNCATED_JSON("truncated-json"),
  /** 200 whose content is prose, not JSON, even when JSON output was requested. */
  INVALID_JSON("invalid-json"),
  /** 200 whose HTTP body (or first SSE frame) is not valid JSON. */
  MALFORMED_BODY("malformed-body");

  private final String wireName;

  Fault(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in headers, directives, admin rates and stats. */
  public String wireName() {
    return wireName;
  }

  /** Looks a fault up by its wire name, ignoring case. */
  public static Optional<Fault> fromWireName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Fault fault : values()) {
      if (fault.wireName.equals(wanted)) {
        return Optional.of(fault);
      }
    }
    return Optional.empty();
  }

  /** Every wire name, for error messages and help text. */
  public static String wireNames() {
    StringBuilder names = new StringBuilder();
    for (Fault fault : values()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append(fault.wireName);
    }
    return names.toString();
  }
}
