package dev.spillway.gateway.provider.transport;

import dev.spillway.gateway.provider.ChatChunk;
import dev.spillway.gateway.provider.ChunkStream;
import dev.spillway.gateway.provider.ProviderException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * Turns a chunk stream into "the chunks up to the first output, then the rest" ({@link
 * ChunkStream}), keeping backpressure: nothing is requested from the upstream beyond what the
 * downstream asked for once the head is delivered.
 *
 * <p>If the stream fails or ends before any output, the {@link Uni} fails, so the dispatcher can
 * try another target before the client has seen a byte. Cancelling the {@link Uni} or the rest
 * cancels the upstream. Signals come from one event loop, but the rest may be subscribed from
 * another thread, so state changes are synchronized (uncontended, so cheap).
 */
public final class FirstOutputSplitter implements Flow.Subscriber<ChatChunk> {

  private final UniEmitter<? super ChunkStream> emitter;
  private final String provider;
  private final List<ChatChunk> head = new ArrayList<>(2);
  private Flow.Subscription upstream;
  private boolean headDelivered;
  private Flow.Subscriber<? super ChatChunk> downstream;
  private Throwable pendingFailure;
  private boolean pendingCompletion;

  private FirstOutputSplitter(UniEmitter<? super ChunkStream> emitter, String provider) {
    this.emitter = emitter;
    this.provider = provider;
  }

  /** Splits {@code chunks}; {@code provider} names the upstream in failures. */
  public static Uni<ChunkStream> split(Multi<ChatChunk> chunks, String provider) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              FirstOutputSplitter splitter = new FirstOutputSplitter(emitter, provider);
              emitter.onTermination(splitter::cancelIfHeadPending);
              chunks.subscribe().withSubscriber(splitter);
            });
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription subscription) {
    upstream = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(ChatChunk chunk) {
    Flow.Subscriber<? super ChatChunk> target;
    synchronized (this) {
      if (!headDelivered) {
        head.add(chunk);
        if (!chunk.output()) {
          upstream.request(1);
          return;
        }
        headDelivered = true;
        target = null;
      } else {
        target = downstream;
      }
    }
    if (target == null) {
      Flow.Publisher<ChatChunk> rest = this::subscribeRest;
      emitter.complete(new ChunkStream(head, Multi.createFrom().publisher(rest)));
    } else {
      target.onNext(chunk);
    }
  }

  @Override
  public void onError(Throwable failure) {
    Flow.Subscriber<? super ChatChunk> target;
    synchronized (this) {
      if (!headDelivered) {
        headDelivered = true;
        target = null;
      } else if (downstream == null) {
        pendingFailure = failure;
        return;
      } else {
        target = downstream;
      }
    }
    if (target == null) {
      emitter.fail(failure);
    } else {
      target.onError(failure);
    }
  }

  @Override
  public void onComplete() {
    Flow.Subscriber<? super ChatChunk> target;
    synchronized (this) {
      if (!headDelivered) {
        headDelivered = true;
        target = null;
      } else if (downstream == null) {
        pendingCompletion = true;
        return;
      } else {
        target = downstream;
      }
    }
    if (target == null) {
      emitter.fail(
          new ProviderException(
              ProviderException.Kind.INVALID_RESPONSE,
              provider,
              200,
              null,
              "the upstream stream ended without any output"));
    } else {
      target.onComplete();
    }
  }

  private void subscribeRest(Flow.Subscriber<? super ChatChunk> subscriber) {
    Throwable failure;
    boolean completed;
    synchronized (this) {
      if (downstream != null) {
        throw new IllegalStateException("the rest of a stream can be subscribed to once");
      }
      downstream = subscriber;
      failure = pendingFailure;
      completed = pendingCompletion;
    }
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            upstream.request(n);
          }

          @Override
          public void cancel() {
            upstream.cancel();
          }
        });
    if (failure != null) {
      subscriber.onError(failure);
    } else if (completed) {
      subscriber.onComplete();
    }
  }

  private void cancelIfHeadPending() {
    boolean cancel;
    synchronized (this) {
      cancel = !headDelivered && upstream != null;
      headDelivered = true;
    }
    if (cancel) {
      upstream.cancel();
    }
  }
}
