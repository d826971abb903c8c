package dev.spillway.gateway.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of asking an {@link AdmissionController} for a slot: a permit to go ahead, or a
 * rejection that says why and when it is worth trying again. A rejection is a value rather than an
 * exception because it is an expected answer under load that maps straight onto {@code 429} or
 * {@code 503} with {@code Retry-After}.
 */
public sealed interface Admission {

  /**
   * The request may be sent now.
   *
   * @param permit to settle exactly once when the request ends
   */
  record Granted(Permit permit) implements Admission {
    public Granted {
      Objects.requireNonNull(permit, "permit");
    }
  }

  /**
   * The request must not be sent to this upstream now.
   *
   * @param reason why
   * @param retryAfter an estimate of when a retry could be admitted, in whole seconds between 1 s
   *     and 60 s
   */
  record Rejected(Reason reason, Duration retryAfter) implements Admission {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
      }
    }
  }

  /** Why a request was rejected. */
  enum Reason {
    /** The queue had no room for the request's tier and nothing of lower priority to displace. */
    QUEUE_FULL,
    /** The request was queued, then evicted to make room for a higher-priority one. */
    SHED,
    /** The request's deadline or the queue's maximum wait passed before a slot freed up. */
    QUEUE_TIMEOUT
  }
}
