package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.routing.Target;
import java.time.Duration;

/**
 * The provider-account limits of one request: before each upstream attempt the dispatcher reserves
 * on the target's account, and skips the target (as it skips an open breaker, with no upstream
 * call) when the account has no room for this caller. Implementations decide synchronously (on the
 * request's event loop) and are thread-safe.
 */
@FunctionalInterface
public interface UpstreamQuota {

  /** No account limits (quota enforcement is off). */
  UpstreamQuota UNLIMITED = target -> Permit.UNLIMITED;

  /** Reserves one attempt's estimate on {@code target}'s account. */
  Permit reserve(Target target);

  /**
   * One attempt's reservation on a provider account, ended exactly once by whichever of its methods
   * is called first (later calls do nothing).
   */
  interface Permit {

    /** Nothing reserved, nothing to settle. */
    Permit UNLIMITED = new Permit() {};

    /** False when the account had no room: skip the target. */
    default boolean granted() {
      return true;
    }

    /** For a refused permit: when the account's window frees room. */
    default Duration retryAfter() {
      return Duration.ofSeconds(1);
    }

    /** No request was sent after all (another check refused it first): give it all back. */
    default void release() {}

    /** The request was sent and failed or was abandoned: it counts as one request, no tokens. */
    default void ended() {}

    /**
     * The attempt answered: its reservation is settled with the request's real usage when the
     * request ends.
     */
    default void won() {}

    /**
     * Settles a won reservation now with this attempt's own tokens, rather than with the request's
     * total when the request ends: a recovered stream is several attempts, each on its own account
     * reservation, and each must be charged its own part once.
     */
    default void settleWith(long tokens) {}
  }
}
