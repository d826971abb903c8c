package dev.spillway.gateway.accounting;

/** How a chat request ended, as metrics and usage events name it. */
public enum Outcome {
  /** The client got a complete answer. */
  SUCCESS("success"),
  /** An upstream refused the request as invalid (a 4xx other than 408/429). */
  REJECTED("rejected"),
  /** No target could serve it; the client got an error status. */
  UPSTREAM_ERROR("upstream_error"),
  /** The stream broke after output reached the client; it ended with an error event. */
  STREAM_BROKEN("stream_broken"),
  /** The request's deadline passed first; the client got a 504 or a terminal error event. */
  DEADLINE_EXCEEDED("deadline_exceeded"),
  /** Admission control refused it (overload or shedding by tier); the client got a 503. */
  SHED("shed"),
  /** The client went away before the answer was complete. */
  CLIENT_CANCELLED("client_cancelled");

  private final String label;

  Outcome(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
