package dev.spillway.gateway.provider;

import java.time.Duration;

/**
 * An upstream attempt that failed, classified by what the gateway may do about it.
 *
 * <p>Only {@link Kind#CLIENT_ERROR} stops a fallback: the request itself is wrong and any other
 * target would refuse it too. Everything else (network, timeouts, 429, 5xx, a 200 with a broken
 * body) is the provider's problem and the next target may serve the request.
 */
public final class ProviderException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** Could not connect, or the connection broke before an answer. */
    CONNECTION,
    /** No answer within the configured idle timeout. */
    TIMEOUT,
    /** 429. */
    RATE_LIMITED,
    /** 5xx, 408, or 401/403/404 (the gateway's account or model name is wrong there). */
    SERVER_ERROR,
    /** 4xx other than 401, 403, 404, 408 and 429: the request is wrong for every target. */
    CLIENT_ERROR,
    /** 2xx whose body is not a valid answer. */
    INVALID_RESPONSE,
    /** The stream broke after it started (cut, error event, no terminator). */
    STREAM_BROKEN,
    /**
     * The gateway's own admission control refused the attempt: the provider's concurrency limit and
     * queue are full, or the request's tier was shed. No request was sent.
     */
    OVERLOADED,
    /** The target's circuit breaker is open. No request was sent. */
    CIRCUIT_OPEN,
    /** The request's deadline passed: the client's, or the route's total. */
    DEADLINE_EXCEEDED
  }

  private final Kind kind;
  private final String provider;
  private final int status;
  private final Duration retryAfter;
  private final String clientConstraint;

  /**
   * @param provider the provider's configured name
   * @param status the upstream HTTP status, or 0 when there was none
   * @param retryAfter the upstream's Retry-After, or null
   * @param message what happened, safe to show a client: no keys, prompts or raw bodies
   */
  public ProviderException(
      Kind kind, String provider, int status, Duration retryAfter, String message) {
    this(kind, provider, status, retryAfter, message, null);
  }

  private ProviderException(
      Kind kind,
      String provider,
      int status,
      Duration retryAfter,
      String message,
      String clientConstraint) {
    super(message, null, false, false);
    this.kind = kind;
    this.provider = provider;
    this.status = status;
    this.retryAfter = retryAfter;
    this.clientConstraint = clientConstraint;
  }

  /**
   * A 200 whose answer could not meet a constraint of the client's own request (its JSON schema,
   * its stop sequences, its {@code max_tokens}): invalid, but not the provider's fault, so never
   * held against its breaker or concurrency limit.
   *
   * @param clientConstraint the request field to blame, named in the client's error
   */
  public static ProviderException underClientConstraint(
      String provider, String clientConstraint, String message) {
    return new ProviderException(
        Kind.INVALID_RESPONSE, provider, 200, null, message, clientConstraint);
  }

  public ProviderException(Kind kind, String provider, String message) {
    this(kind, provider, 0, null, message);
  }

  /** Classifies a non-2xx HTTP status. */
  public static Kind kindOfStatus(int status) {
    if (status == 429) {
      return Kind.RATE_LIMITED;
    }
    // 401/403/404 say the gateway's account or model name is wrong for this provider, not that
    // the client's request is: another target may well serve it.
    if (status == 408 || status == 401 || status == 403 || status == 404 || status >= 500) {
      return Kind.SERVER_ERROR;
    }
    return status >= 400 ? Kind.CLIENT_ERROR : Kind.INVALID_RESPONSE;
  }

  public Kind kind() {
    return kind;
  }

  public String provider() {
    return provider;
  }

  public int status() {
    return status;
  }

  /** The upstream's Retry-After, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * The request field whose constraint the answer could not meet, or null when the provider is to
   * blame.
   */
  public String clientConstraint() {
    return clientConstraint;
  }

  /** Whether the client's own request, not the provider, explains this invalid answer. */
  public boolean byClientConstraint() {
    return clientConstraint != null;
  }

  /** Whether another target may be tried for the same request. */
  public boolean allowsFallback() {
    return kind != Kind.CLIENT_ERROR && kind != Kind.DEADLINE_EXCEEDED;
  }

  /**
   * Whether the same target may be tried again: transient transport and server trouble. Not
   * timeouts (a slow target is better replaced than waited for twice), not invalid answers, not
   * 401/403/404 (the gateway's own account or model name is wrong there), and never client errors.
   */
  public boolean retryable() {
    return switch (kind) {
      case CONNECTION, RATE_LIMITED -> true;
      case SERVER_ERROR -> status >= 500 || status == 408;
      default -> false;
    };
  }

  /**
   * Whether the failure says the provider is overloaded, which should lower its concurrency limit:
   * 429, 503, Anthropic's 529 ({@code overloaded_error}) and timeouts.
   */
  public boolean signalsOverload() {
    return kind == Kind.RATE_LIMITED
        || kind == Kind.TIMEOUT
        || (kind == Kind.SERVER_ERROR && (status == 503 || status == OVERLOADED_STATUS));
  }

  /** Anthropic's status for {@code overloaded_error}: its API is busy, like a 503. */
  public static final int OVERLOADED_STATUS = 529;
}
