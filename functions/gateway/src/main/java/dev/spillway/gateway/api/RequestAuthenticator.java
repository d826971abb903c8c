package dev.spillway.gateway.api;

import dev.spillway.gateway.auth.ApiKeyAuthenticator;
import dev.spillway.gateway.auth.Caller;
import dev.spillway.gateway.quota.QuotaCaller;
import dev.spillway.gateway.quota.QuotaRuntime;
import dev.spillway.gateway.quota.QuotaUnavailableException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The authenticate stage of every {@code /v1/*} endpoint: the {@code Authorization} header becomes
 * a caller, whichever way keys are managed. Keys come from the quota function when {@code
 * gateway.quota.url} is set (hashed, cached, see {@link dev.spillway.gateway.quota.KeyCache}) and
 * from {@code gateway.keys} otherwise; callers of this class do not need to know which.
 *
 * <p>The answer is a value, never an exception: {@link Authenticated} or {@link Refused} with the
 * client's error. A cache hit or a static key completes at once; a look-up completes on a Vert.x
 * thread, and the caller hops back to its own event loop. Thread-safe.
 */
public final class RequestAuthenticator {

  /** The outcome of authentication. */
  public sealed interface Authentication {}

  /**
   * @param caller tenant, feature, tier
   * @param quota the quota function's view of the caller; null when quota enforcement is off
   */
  public record Authenticated(Caller caller, QuotaCaller quota) implements Authentication {}

  /** The request may not go on; {@code error} says why, in the client's words. */
  public record Refused(ApiException error) implements Authentication {}

  private static final Refused UNAUTHORIZED =
      new Refused(
          new ApiException(
              ApiError.UNAUTHORIZED,
              "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'."));

  private final ApiKeyAuthenticator staticKeys;
  private final QuotaRuntime quota;

  public RequestAuthenticator(ApiKeyAuthenticator staticKeys, QuotaRuntime quota) {
    this.staticKeys = staticKeys;
    this.quota = quota;
  }

  public CompletionStage<Authentication> authenticate(String authorization) {
    if (!quota.enabled()) {
      Optional<Caller> caller = staticKeys.authenticate(authorization);
      return CompletableFuture.completedFuture(
          caller.<Authentication>map(c -> new Authenticated(c, null)).orElse(UNAUTHORIZED));
    }
    return quota
        .resolve(authorization)
        .handle(
            (resolved, failure) -> {
              if (failure != null) {
                return new Refused(keyLookupFailed(failure));
              }
              return resolved
                  .<Authentication>map(c -> new Authenticated(c.caller(), c))
                  .orElse(UNAUTHORIZED);
            });
  }

  /** The quota function could not be asked about a key that is not cached. */
  private static ApiException keyLookupFailed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
    if (cause instanceof QuotaUnavailableException) {
      return new ApiException(
          ApiError.QUOTA_UNAVAILABLE,
          null,
          "The API key cannot be checked right now (the quota service is unreachable); retry"
              + " later.",
          1);
    }
    // Not expected (the key cache classifies every failure); still the client's answer is a 503.
    return new ApiException(
        ApiError.QUOTA_UNAVAILABLE,
        null,
        "The API key cannot be checked right now; retry later.",
        1);
  }
}
