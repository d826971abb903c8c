package dev.spillway.simulator.server;

/** The simulated API's endpoints, as counted in stats. */
public enum Endpoint {
  CHAT_COMPLETIONS("chat.completions"),
  MESSAGES("messages"),
  MODELS("models"),
  HEALTH("health"),
  NOT_FOUND("not_found");

  private final String statsName;

  Endpoint(String statsName) {
    this.statsName = statsName;
  }

  /** The key used in {@code requestsByEndpoint}. */
  public String statsName() {
    return statsName;
  }
}
