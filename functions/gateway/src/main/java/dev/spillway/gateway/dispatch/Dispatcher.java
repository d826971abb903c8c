package dev.spillway.gateway.dispatch;

import dev.spillway.gateway.provider.ChatProvider;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.Completion;
import dev.spillway.gateway.provider.ProviderException;
import dev.spillway.gateway.provider.UpstreamCall;
import dev.spillway.gateway.routing.Target;
import dev.spillway.openai.ChatCompletionRequest;
import dev.spillway.openai.InvalidRequestException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Sends a request to its candidate targets in order until one answers.
 *
 * <p>A target has answered when its output has begun (the first output chunk of a stream, or a
 * whole non-streaming completion); until then, nothing has reached the client, so any failure that
 * is the provider's fault moves on to the next target. A client error (the request itself is wrong)
 * stops at once: every target would refuse it. This is the seam that breakers, deadlines, retries
 * and hedging will wrap. Stateless and thread-safe.
 */
public final class Dispatcher {

  /** Dispatches a non-streaming request. Fails with {@link DispatchFailedException}. */
  public Uni<Dispatched<Completion>> complete(
      ChatCompletionRequest request, String requestId, List<Target> candidates) {
    return attempt(request, requestId, candidates, 0, ChatProvider::complete);
  }

  /** Dispatches a streaming request. Fails with {@link DispatchFailedException}. */
  public Uni<Dispatched<ChunkStream>> stream(
      ChatCompletionRequest request, String requestId, List<Target> candidates) {
    return attempt(request, requestId, candidates, 0, ChatProvider::stream);
  }

  private <T> Uni<Dispatched<T>> attempt(
      ChatCompletionRequest request,
      String requestId,
      List<Target> candidates,
      int index,
      BiFunction<ChatProvider, UpstreamCall, Uni<T>> call) {
    Target target = candidates.get(index);
    UpstreamCall upstreamCall = new UpstreamCall(request, target.model(), requestId);
    Uni<T> answer;
    try {
      answer = call.apply(target.provider(), upstreamCall);
    } catch (RuntimeException e) {
      // Mapping the request can fail synchronously; it takes the same path as a failed answer.
      answer = Uni.createFrom().failure(e);
    }
    return answer
        .map(result -> new Dispatched<>(result, target, index + 1))
        .onFailure()
        .recoverWithUni(
            failure -> {
              ProviderException error = asProviderFailure(failure, target);
              boolean more = index + 1 < candidates.size();
              if (error.allowsFallback() && more) {
                Log.debugf(
                    "request %s: %s failed (%s), trying the next target",
                    requestId, target.provider().name(), error.kind());
                return attempt(request, requestId, candidates, index + 1, call);
              }
              return Uni.createFrom().failure(new DispatchFailedException(error, index + 1));
            });
  }

  private static ProviderException asProviderFailure(Throwable failure, Target target) {
    if (failure instanceof ProviderException provider) {
      return provider;
    }
    if (failure instanceof InvalidRequestException invalid) {
      // A request this target's dialect cannot express: the client's to fix, as a 400 would be.
      return new ProviderException(
          ProviderException.Kind.CLIENT_ERROR,
          target.provider().name(),
          400,
          null,
          invalid.getMessage());
    }
    // A bug in a provider adapter must not take the request down with it while others may serve.
    Log.warnf(failure, "provider %s failed unexpectedly", target.provider().name());
    return new ProviderException(
        ProviderException.Kind.INVALID_RESPONSE,
        target.provider().name(),
        "provider " + target.provider().name() + " failed unexpectedly");
  }
}
